package dev.spillway.filter.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cgroup-v1 {@code cpu} group holding this test JVM, so that the filter's CPU signal reads a real kernel's
 * throttling counters. Made without a quota (the container starts at full speed); {@link #capTo} sets one while the
 * server runs. Closing lifts the quota, moves the JVM back to the root group and removes the group. Needs root and
 * the v1 controller at {@code /sys/fs/cgroup/cpu}: {@link #reasonUnavailable} says why not, for an assumption.
 */
final class CpuQuotaGroup implements AutoCloseable {
    static final Path ROOT = Path.of("/sys/fs/cgroup/cpu");
    private static final long PERIOD_MICROS = 100_000;
    private final Path dir;

    private CpuQuotaGroup(Path dir) {
        this.dir = dir;
    }

    /** Null if a group can be made here, else why not. */
    static String reasonUnavailable() {
        if (!Files.isWritable(ROOT.resolve("cgroup.procs")) || !Files.exists(ROOT.resolve("cpu.cfs_quota_us"))) {
            return "no writable cgroup-v1 cpu controller at " + ROOT;
        }
        return null;
    }

    /** Moves this JVM (all its threads: a v1 write of the process id) into a new group without a quota. */
    static CpuQuotaGroup thisJvm() throws IOException {
        Path dir = ROOT.resolve("spillway-test-" + ProcessHandle.current().pid());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_MICROS));
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), "-1");
        Files.writeString(dir.resolve("cgroup.procs"), String.valueOf(ProcessHandle.current().pid()));
        return new CpuQuotaGroup(dir);
    }

    void capTo(double cpus) throws IOException {
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), String.valueOf(Math.round(cpus * PERIOD_MICROS)));
    }

    @Override
    public void close() throws IOException {
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), "-1");
        // Threads started since (the container's) are in the group too: move every task back, then remove it.
        for (String task : Files.readAllLines(dir.resolve("tasks"))) {
            try {
                Files.writeString(ROOT.resolve("tasks"), task.trim());
            } catch (IOException e) {
                // the thread ended meanwhile
            }
        }
        Files.writeString(ROOT.resolve("cgroup.procs"), String.valueOf(ProcessHandle.current().pid()));
        Files.delete(dir);
    }
}
