package dev.spillway.agent.sampling;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the one-line and keyed cgroup files ({@code cpu.max}, {@code memory.stat}, ...) into one reused buffer and
 * parses numbers in place, so a sample a second makes next to no garbage. Not thread-safe: one per sampler.
 */
final class CgroupFiles {
    /** The file cannot be read or does not hold a number where one is expected. */
    static final long MISSING = -1;
    /** The file says "max" (cgroup v2's word for no limit). */
    static final long MAX = Long.MAX_VALUE;

    private static final byte[] MAX_WORD = "max".getBytes(StandardCharsets.US_ASCII);

    private final byte[] buffer = new byte[16384];

    /** The first number in the file, {@link #MAX} for "max", else {@link #MISSING}. Negative numbers read as -1. */
    long first(String file) {
        return number(read(file), 0);
    }

    /** The second word of a one-line file ({@code cpu.max}: "QUOTA PERIOD"), as {@link #first}. */
    long second(String file) {
        int n = read(file);
        int i = 0;
        while (i < n && buffer[i] != ' ' && buffer[i] != '\n') {
            i++;
        }
        return i < n && buffer[i] == ' ' ? number(n, i + 1) : MISSING;
    }

    /** The number after {@code key} at the start of a line ("inactive_file 4096"), else {@link #MISSING}. */
    long keyed(String file, byte[] key) {
        int n = read(file);
        for (int i = 0; i + key.length < n; i++) {
            if ((i == 0 || buffer[i - 1] == '\n') && buffer[i + key.length] == ' ' && startsWith(i, key)) {
                return number(n, i + key.length + 1);
            }
        }
        return MISSING;
    }

    private long number(int end, int from) {
        if (end < 0) {
            return MISSING;
        }
        int i = from;
        while (i < end && buffer[i] == ' ') {
            i++;
        }
        if (i + MAX_WORD.length <= end && startsWith(i, MAX_WORD)) {
            return MAX;
        }
        if (i >= end || buffer[i] < '0' || buffer[i] > '9') {
            return MISSING; // "-1" (v1's "no quota") lands here too
        }
        long v = 0;
        while (i < end && buffer[i] >= '0' && buffer[i] <= '9') {
            v = v * 10 + (buffer[i] - '0');
            i++;
        }
        return v;
    }

    private boolean startsWith(int at, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (buffer[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private int read(String file) {
        if (file == null) {
            return -1;
        }
        try (FileInputStream in = new FileInputStream(file)) {
            int total = 0;
            int r;
            while (total < buffer.length && (r = in.read(buffer, total, buffer.length - total)) > 0) {
                total += r;
            }
            return total;
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }
}
