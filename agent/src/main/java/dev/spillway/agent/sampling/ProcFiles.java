package dev.spillway.agent.sampling;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads Linux's /proc/stat and /proc/meminfo into one reused buffer and parses the numbers in place. The JDK's
 * container-aware OperatingSystemMXBean re-reads several cgroup files per call and allocates about 100 KB each
 * time; at one sample a second that alone would be most of the agent's garbage. Not thread-safe: one per sampler.
 */
public final class ProcFiles {
    private static final byte[] CPU = "cpu ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MEM_AVAILABLE = "MemAvailable:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MEM_TOTAL = "MemTotal:".getBytes(StandardCharsets.US_ASCII);

    private final String stat;
    private final String meminfo;
    private final byte[] buffer = new byte[8192];
    private final long[] fields = new long[10];

    public ProcFiles() {
        this("/proc/stat", "/proc/meminfo");
    }

    /** For tests: other files in the same formats. */
    public ProcFiles(String stat, String meminfo) {
        this.stat = stat;
        this.meminfo = meminfo;
    }

    /**
     * Fills {@code out[0]} with busy and {@code out[1]} with total CPU ticks since boot, summed over all CPUs.
     *
     * @return false when /proc/stat cannot be read or parsed (not Linux)
     */
    public boolean cpuTicks(long[] out) {
        int n = read(stat);
        if (n < CPU.length || !startsWith(0, CPU)) {
            return false;
        }
        int count = parseLongs(CPU.length, n, fields);
        if (count < 4) {
            return false;
        }
        long total = 0;
        // user nice system idle iowait irq softirq steal; guest and guest_nice are already inside user and nice
        for (int i = 0; i < Math.min(count, 8); i++) {
            total += fields[i];
        }
        long idle = fields[3] + (count > 4 ? fields[4] : 0);
        out[0] = total - idle;
        out[1] = total;
        return true;
    }

    /** MemAvailable in bytes, or -1 when the file or the line is missing (not Linux, kernel before 3.14). */
    public long memAvailableBytes() {
        return meminfoBytes(MEM_AVAILABLE);
    }

    /**
     * The machine's memory (MemTotal) in bytes, or -1. Not the JDK's getTotalMemorySize(): that reports the JVM's own
     * cgroup limit instead.
     */
    public long memTotalBytes() {
        return meminfoBytes(MEM_TOTAL);
    }

    private long meminfoBytes(byte[] key) {
        int n = read(meminfo);
        for (int i = 0; i + key.length < n; i++) {
            if ((i == 0 || buffer[i - 1] == '\n') && startsWith(i, key)) {
                int got = parseLongs(i + key.length, n, fields);
                return got >= 1 ? fields[0] * 1024 : -1;
            }
        }
        return -1;
    }

    private int read(String file) {
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

    private boolean startsWith(int at, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (buffer[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Parses space-separated numbers from {@code from} up to the end of the line; returns how many. */
    private int parseLongs(int from, int end, long[] into) {
        int count = 0;
        int i = from;
        while (i < end && buffer[i] != '\n' && count < into.length) {
            while (i < end && buffer[i] == ' ') {
                i++;
            }
            if (i >= end || buffer[i] < '0' || buffer[i] > '9') {
                break;
            }
            long v = 0;
            while (i < end && buffer[i] >= '0' && buffer[i] <= '9') {
                v = v * 10 + (buffer[i] - '0');
                i++;
            }
            into[count++] = v;
        }
        return count;
    }
}
