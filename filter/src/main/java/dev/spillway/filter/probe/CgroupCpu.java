package dev.spillway.filter.probe;

import dev.spillway.agent.sampling.CgroupDirs;
import dev.spillway.agent.sampling.CgroupLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's own CPU cgroup: the CPU its processes have used so far, and the CFS quota it may use. cgroup v1 keeps
 * the quota in the {@code cpu} hierarchy ({@code cpu.cfs_quota_us}, {@code cpu.cfs_period_us}) and the usage in
 * {@code cpuacct} ({@code cpuacct.usage}, ns), which may be mounted apart; v2 keeps both in one directory
 * ({@code cpu.max} "quota period", {@code cpu.stat} {@code usage_usec}). Files only; the reader decides how often.
 */
final class CgroupCpu {
    /** No quota ("-1" in v1, "max" in v2), or none readable: the CPU signal stays silent. */
    static final double NO_QUOTA = 0;

    private final Path usageFile;
    private final boolean v2;
    private final Path quotaFile; // v1 cpu.cfs_quota_us; v2 cpu.max
    private final Path periodFile; // v1 only

    private CgroupCpu(Path usageFile, boolean v2, Path quotaFile, Path periodFile) {
        this.usageFile = usageFile;
        this.v2 = v2;
        this.quotaFile = quotaFile;
        this.periodFile = periodFile;
    }

    /** The group of this process, or null where it has none this process can read. */
    static CgroupCpu ofThisProcess() {
        try {
            CgroupDirs dirs = new CgroupLocator().locate(ProcessHandle.current().pid());
            CgroupCpu v1 = v1(dirs.cpuV1(), dirs.cpuacctV1());
            return v1 != null ? v1 : v2(dirs.unified());
        } catch (RuntimeException | LinkageError e) {
            return null; // no /proc, a sandbox: no CPU signal, the rest of the probe works
        }
    }

    /**
     * cgroup v1: quota from {@code cpuDir}, usage from {@code cpuacctDir}; null unless both are readable and are the
     * same group. Where {@code cpuacct} is a hierarchy of its own, a process confined only in {@code cpu} sits in the
     * {@code cpuacct} root, whose usage is the whole machine's: no signal rather than a wrong one.
     */
    static CgroupCpu v1(Path cpuDir, Path cpuacctDir) {
        if (cpuDir == null || cpuacctDir == null || !sameGroup(cpuDir, cpuacctDir)) {
            return null;
        }
        CgroupCpu c = new CgroupCpu(cpuacctDir.resolve("cpuacct.usage"), false,
                cpuDir.resolve("cpu.cfs_quota_us"), cpuDir.resolve("cpu.cfs_period_us"));
        return c.usageNanos() >= 0 ? c : null;
    }

    /** Co-mounted (one directory), or two groups of one name of which neither is a hierarchy's root. */
    private static boolean sameGroup(Path cpuDir, Path cpuacctDir) {
        if (cpuDir.equals(cpuacctDir)) {
            return true;
        }
        return !isRoot(cpuDir) && !isRoot(cpuacctDir) && cpuDir.getFileName().equals(cpuacctDir.getFileName());
    }

    /** Only a v1 hierarchy's root has {@code release_agent}. */
    private static boolean isRoot(Path dir) {
        return Files.exists(dir.resolve("release_agent"));
    }

    /** cgroup v2: null unless {@code cpu.stat} has {@code usage_usec} and {@code cpu.max} exists (not the root). */
    static CgroupCpu v2(Path dir) {
        if (dir == null || !Files.isRegularFile(dir.resolve("cpu.max"))) {
            return null;
        }
        CgroupCpu c = new CgroupCpu(dir.resolve("cpu.stat"), true, dir.resolve("cpu.max"), null);
        return c.usageNanos() >= 0 ? c : null;
    }

    /** True if both read the same files (or both are null). */
    static boolean same(CgroupCpu a, CgroupCpu b) {
        return a == null ? b == null : b != null && a.usageFile.equals(b.usageFile) && a.quotaFile.equals(b.quotaFile);
    }

    /** CPU time the group used since it was made, in ns; -1 if unreadable. */
    long usageNanos() {
        try {
            String text = Files.readString(usageFile, StandardCharsets.US_ASCII);
            if (!v2) {
                return Long.parseLong(text.trim());
            }
            for (String line : text.split("\n")) {
                if (line.startsWith("usage_usec ")) {
                    return Long.parseLong(line.substring("usage_usec ".length()).trim()) * 1000L;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The quota in CPUs (quota / period, e.g. 0.25), or {@link #NO_QUOTA}. */
    double quotaCpus() {
        try {
            long quota;
            long period;
            if (v2) {
                String[] f = Files.readString(quotaFile, StandardCharsets.US_ASCII).trim().split("\\s+");
                if (f.length != 2 || f[0].equals("max")) {
                    return NO_QUOTA;
                }
                quota = Long.parseLong(f[0]);
                period = Long.parseLong(f[1]);
            } else {
                quota = Long.parseLong(Files.readString(quotaFile, StandardCharsets.US_ASCII).trim());
                period = Long.parseLong(Files.readString(periodFile, StandardCharsets.US_ASCII).trim());
            }
            return quota > 0 && period > 0 ? (double) quota / period : NO_QUOTA;
        } catch (IOException | RuntimeException e) {
            return NO_QUOTA;
        }
    }
}
