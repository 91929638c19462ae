package dev.spillway.agent.sampling;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The raw figures of one cgroup, from whichever files it has: cgroup v1 ({@code cpu.cfs_quota_us} /
 * {@code cpu.cfs_period_us}, {@code cpuacct.usage}, {@code memory.limit_in_bytes}, {@code memory.usage_in_bytes})
 * or v2 ({@code cpu.max}, {@code cpu.stat usage_usec}, {@code memory.max}, {@code memory.current}). Which files
 * exist is decided once; their contents are read on every call, so a quota changed at run time is seen.
 */
final class CgroupReader {
    static final String V1 = "cgroup-v1";
    static final String V2 = "cgroup-v2";
    private static final long V1_NO_LIMIT = Long.MAX_VALUE / 2;

    private static final byte[] USAGE_USEC = bytes("usage_usec");
    // Page cache the kernel can drop at once; without subtracting it a server that reads files looks full.
    // v1's "total_" line counts the cgroup and its children, as memory.usage_in_bytes does.
    private static final byte[] TOTAL_INACTIVE_FILE = bytes("total_inactive_file");
    private static final byte[] INACTIVE_FILE = bytes("inactive_file");

    private final CgroupFiles files;
    private final String cpuVersion;
    private final String cpuQuota;
    private final String cpuPeriod;
    private final String cpuUsage;
    private final String memoryVersion;
    private final String memoryLimit;
    private final String memoryUsage;
    private final String memoryStat;

    CgroupReader(CgroupDirs dirs, CgroupFiles files) {
        this.files = files;
        if (has(dirs.cpuV1(), "cpu.cfs_quota_us") && has(dirs.cpuacctV1(), "cpuacct.usage")) {
            cpuVersion = V1;
            cpuQuota = file(dirs.cpuV1(), "cpu.cfs_quota_us");
            cpuPeriod = file(dirs.cpuV1(), "cpu.cfs_period_us");
            cpuUsage = file(dirs.cpuacctV1(), "cpuacct.usage");
        } else if (has(dirs.unified(), "cpu.max")) { // the v2 root cgroup has no cpu.max: no limit there
            cpuVersion = V2;
            cpuQuota = file(dirs.unified(), "cpu.max");
            cpuPeriod = cpuQuota;
            cpuUsage = file(dirs.unified(), "cpu.stat");
        } else {
            cpuVersion = null;
            cpuQuota = cpuPeriod = cpuUsage = null;
        }
        if (has(dirs.memoryV1(), "memory.limit_in_bytes")) {
            memoryVersion = V1;
            memoryLimit = file(dirs.memoryV1(), "memory.limit_in_bytes");
            memoryUsage = file(dirs.memoryV1(), "memory.usage_in_bytes");
            memoryStat = file(dirs.memoryV1(), "memory.stat");
        } else if (has(dirs.unified(), "memory.max")) {
            memoryVersion = V2;
            memoryLimit = file(dirs.unified(), "memory.max");
            memoryUsage = file(dirs.unified(), "memory.current");
            memoryStat = file(dirs.unified(), "memory.stat");
        } else {
            memoryVersion = null;
            memoryLimit = memoryUsage = memoryStat = null;
        }
    }

    /** {@link #V1} or {@link #V2}: where the CPU figures come from; null when the cgroup has no CPU files. */
    String cpuVersion() {
        return cpuVersion;
    }

    String memoryVersion() {
        return memoryVersion;
    }

    /** The CPU quota in CPUs (0.5 = half a CPU); NaN when there is none or it cannot be read. */
    double cpuQuota() {
        if (cpuVersion == null) {
            return Double.NaN;
        }
        long quota = files.first(cpuQuota);
        long period = V1.equals(cpuVersion) ? files.first(cpuPeriod) : files.second(cpuPeriod);
        if (quota <= 0 || quota == CgroupFiles.MAX || period <= 0 || period == CgroupFiles.MAX) {
            return Double.NaN;
        }
        return (double) quota / period;
    }

    /** CPU time used by the cgroup since it was made, ns; -1 when unknown. */
    long cpuUsageNanos() {
        if (cpuVersion == null) {
            return -1;
        }
        long v = V1.equals(cpuVersion) ? files.first(cpuUsage) : files.keyed(cpuUsage, USAGE_USEC);
        if (v < 0 || v == CgroupFiles.MAX) {
            return -1;
        }
        return V1.equals(cpuVersion) ? v : v * 1000;
    }

    /** The memory limit in bytes; -1 when there is none ("max") or it cannot be read. */
    long memoryLimitBytes() {
        long v = memoryVersion == null ? -1 : files.first(memoryLimit);
        // v1 writes "no limit" as the largest page-aligned number (9223372036854771712)
        return v <= 0 || v >= V1_NO_LIMIT ? -1 : v;
    }

    /** Memory in use, bytes, not counting inactive page cache; -1 when unknown. */
    long memoryUsedBytes() {
        if (memoryVersion == null) {
            return -1;
        }
        long usage = files.first(memoryUsage);
        if (usage < 0 || usage == CgroupFiles.MAX) {
            return -1;
        }
        long inactive = files.keyed(memoryStat, V1.equals(memoryVersion) ? TOTAL_INACTIVE_FILE : INACTIVE_FILE);
        return inactive >= 0 && inactive <= usage ? usage - inactive : usage;
    }

    private static boolean has(Path dir, String name) {
        return dir != null && Files.isReadable(dir.resolve(name));
    }

    private static String file(Path dir, String name) {
        return dir.resolve(name).toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
