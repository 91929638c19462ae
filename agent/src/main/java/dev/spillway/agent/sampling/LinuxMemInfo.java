package dev.spillway.agent.sampling;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads MemAvailable from /proc/meminfo; -1 where there is no such file or line (not Linux, old kernel). */
final class LinuxMemInfo {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private LinuxMemInfo() {
    }

    static long availableBytes() {
        if (!Files.isReadable(MEMINFO)) {
            return -1;
        }
        try (BufferedReader r = Files.newBufferedReader(MEMINFO, StandardCharsets.US_ASCII)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("MemAvailable:")) {
                    return parseKilobytes(line) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static long parseKilobytes(String line) {
        String digits = line.substring("MemAvailable:".length()).replace("kB", "").strip();
        return Long.parseLong(digits);
    }
}
