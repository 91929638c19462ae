package dev.spillway.agent.sampling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's online CPUs from {@code /sys/devices/system/cpu/online} ("0-3,6"). Not
 * {@code availableProcessors()}: the JVM caps that by its own cgroup's quota, and the agent may watch a JVM in
 * another cgroup.
 */
public final class OnlineCpus {
    private OnlineCpus() {
    }

    public static int count() {
        return count(Path.of("/sys/devices/system/cpu/online"), Runtime.getRuntime().availableProcessors());
    }

    /** @return the CPUs the list names, or {@code fallback} when the file cannot be read or parsed */
    static int count(Path file, int fallback) {
        try {
            String list = Files.readString(file).trim();
            int n = 0;
            for (String part : list.split(",")) {
                int dash = part.indexOf('-');
                n += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
                if (dash < 0) {
                    Integer.parseInt(part); // a malformed entry falls back below
                }
            }
            return n > 0 ? n : fallback;
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }
}
