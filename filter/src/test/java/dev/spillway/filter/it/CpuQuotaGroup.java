package dev.spillway.filter.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cgroup-v1 {@code cpu} group holding this test JVM, so that the filter's CPU signal reads a real kernel's
 * throttling counters. Made without a quota (the container starts at full speed); {@link #capTo} sets one while the
 * server runs. Closing lifts the quota, moves the JVM back to the root group and removes the group. Needs root and
 * the v1 controller at {@code /sys/fs/cgroup/cpu}: {@link #reasonUnavailable} says why not, for an assumption. Where
 * {@code cpuacct} is a hierarchy of its own, a group of the same name there holds the JVM too, as a container runtime
 * does, so that the group's CPU usage is this JVM's.
 */
final class CpuQuotaGroup implements AutoCloseable {
    static final Path ROOT = Path.of("/sys/fs/cgroup/cpu");
    static final Path ACCT_ROOT = Path.of("/sys/fs/cgroup/cpuacct");
    private static final long PERIOD_MICROS = 100_000;
    /**
     * The group's weight against the machine's other tasks (1024 each by default). A quota is a ceiling, not a
     * promise: on a busy machine (CI with other jobs beside it) a group of default weight got far less than its
     * quota, its window never read "full", and a test waiting for the quota to be used up timed out. With this
     * weight the group gets its quota whenever it wants it, as a container on a host of its own would.
     */
    private static final long SHARES = 262_144;
    private final Path dir;
    private final Path acctDir; // null: cpuacct is co-mounted with cpu (or absent)

    private CpuQuotaGroup(Path dir, Path acctDir) {
        this.dir = dir;
        this.acctDir = acctDir;
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
        Files.writeString(dir.resolve("cpu.shares"), String.valueOf(SHARES));
        Files.writeString(dir.resolve("cgroup.procs"), String.valueOf(ProcessHandle.current().pid()));
        Path acctDir = null;
        if (Files.exists(ACCT_ROOT.resolve("cpuacct.usage")) && !Files.isSameFile(ROOT, ACCT_ROOT)) {
            acctDir = ACCT_ROOT.resolve(dir.getFileName().toString());
            Files.createDirectories(acctDir);
            Files.writeString(acctDir.resolve("cgroup.procs"), String.valueOf(ProcessHandle.current().pid()));
        }
        return new CpuQuotaGroup(dir, acctDir);
    }

    void capTo(double cpus) throws IOException {
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), String.valueOf(Math.round(cpus * PERIOD_MICROS)));
    }

    @Override
    public void close() throws IOException {
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), "-1");
        leave(dir, ROOT);
        if (acctDir != null) {
            leave(acctDir, ACCT_ROOT);
        }
    }

    /** Threads started since (the container's) are in the group too: moves every task back, then removes it. */
    private static void leave(Path group, Path root) throws IOException {
        for (String task : Files.readAllLines(group.resolve("tasks"))) {
            try {
                Files.writeString(root.resolve("tasks"), task.trim());
            } catch (IOException e) {
                // the thread ended meanwhile
            }
        }
        Files.writeString(root.resolve("cgroup.procs"), String.valueOf(ProcessHandle.current().pid()));
        Files.delete(group);
    }
}
