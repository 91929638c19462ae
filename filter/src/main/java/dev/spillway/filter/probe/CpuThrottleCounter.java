package dev.spillway.filter.probe;

import dev.spillway.agent.sampling.CgroupDirs;
import dev.spillway.agent.sampling.CgroupLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CFS bandwidth counters of this JVM's own CPU cgroup, from {@code cpu.stat}: {@code nr_periods} (quota periods
 * in which the group had work) and {@code nr_throttled} (periods in which it ran out of quota while it still had
 * work). The same two keys in cgroup v1 ({@code cpu} hierarchy) and v2 (unified). Without a quota neither moves, so
 * the signal built on them stays silent on a server whose CPU is not capped. Read by the probe's elected sampling
 * thread at most once per CFS period, never per request.
 */
final class CpuThrottleCounter {
    private static final long DEFAULT_PERIOD_MICROS = 100_000;

    private final Path stat;
    private final long periodNanos;

    /** The two counters at one moment. */
    record Reading(long periods, long throttled) {
    }

    CpuThrottleCounter(Path stat, long periodNanos) {
        this.stat = stat;
        this.periodNanos = periodNanos;
    }

    /** The counter of this process's cgroup, or null where it has none this process can read. */
    static CpuThrottleCounter ofThisProcess() {
        try {
            CgroupDirs dirs = new CgroupLocator().locate(ProcessHandle.current().pid());
            CpuThrottleCounter v1 = in(dirs.cpuV1(), "cpu.cfs_period_us");
            return v1 != null ? v1 : in(dirs.unified(), "cpu.max");
        } catch (RuntimeException | LinkageError e) {
            return null; // no /proc, a sandbox, a security manager: no CPU signal, the rest of the probe works
        }
    }

    /** The counter in {@code dir}, or null if its {@code cpu.stat} lacks the counters (the v2 root has none). */
    static CpuThrottleCounter in(Path dir, String periodFile) {
        if (dir == null) {
            return null;
        }
        CpuThrottleCounter c = new CpuThrottleCounter(dir.resolve("cpu.stat"), periodNanos(dir.resolve(periodFile)));
        return c.read() == null ? null : c;
    }

    /** v1 {@code cpu.cfs_period_us} holds the period; v2 {@code cpu.max} holds "quota period". In microseconds. */
    private static long periodNanos(Path file) {
        try {
            String[] f = Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\s+");
            long micros = Long.parseLong(f[f.length - 1]);
            return (micros > 0 ? micros : DEFAULT_PERIOD_MICROS) * 1000L;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_PERIOD_MICROS * 1000L;
        }
    }

    /** True if both read the same {@code cpu.stat} (or both are null). */
    static boolean sameFile(CpuThrottleCounter a, CpuThrottleCounter b) {
        return a == null ? b == null : b != null && a.stat.equals(b.stat);
    }

    /** The CFS period: how often the counters can change. */
    long periodNanos() {
        return periodNanos;
    }

    /** @return the counters now, or null if the file cannot be read or lacks either key */
    Reading read() {
        String text;
        try {
            text = Files.readString(stat, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        long periods = -1;
        long throttled = -1;
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space < 0) {
                continue;
            }
            String key = line.substring(0, space);
            if (key.equals("nr_periods")) {
                periods = parse(line.substring(space + 1));
            } else if (key.equals("nr_throttled")) {
                throttled = parse(line.substring(space + 1));
            }
        }
        return periods >= 0 && throttled >= 0 ? new Reading(periods, throttled) : null;
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
