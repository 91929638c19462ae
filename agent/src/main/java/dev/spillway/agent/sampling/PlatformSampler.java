package dev.spillway.agent.sampling;

import dev.spillway.agent.contract.HostLoad;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU and memory from the platform MXBeans handed in (tests hand in fakes), with Linux's /proc files preferred where
 * they can be read ({@link ProcFiles}: same figures, a fraction of the cost). What the platform cannot tell is left
 * unknown (NaN, -1), never 0: a 0 would read as "idle" to the manager.
 *
 * <ul>
 *   <li>system CPU: busy share of /proc/stat ticks over the last interval; else {@code getCpuLoad()};</li>
 *   <li>process CPU: growth of {@code getProcessCpuTime()} over the interval, per available processor;</li>
 *   <li>system memory: 1 - MemAvailable / total (the MXBean's "free" counts page cache as used and would make
 *       every Linux host look full); else 1 - free / total. The total is re-read every
 *       {@value #TOTAL_MEMORY_REFRESH} samples: it does not change while a host runs.</li>
 * </ul>
 * Where the host runs in a cgroup that limits CPU or memory ({@link CgroupSampler}), the system figure of that
 * resource is the cgroup's use against its limit instead of the machine's, and the snapshot's resource scope says so.
 * Not thread-safe: called from the one sampling thread.
 */
public final class PlatformSampler {
    static final int TOTAL_MEMORY_REFRESH = 60;

    private final OperatingSystemMXBean os;
    private final com.sun.management.OperatingSystemMXBean sunOs;
    private final MemoryMXBean memory;
    private final ProcFiles proc;
    private final CgroupSampler cgroup;
    private final long[] ticks = new long[2];
    private long lastBusyTicks = -1;
    private long lastTotalTicks = -1;
    private long lastProcessCpuNanos = -1;
    private long lastWallNanos;
    private long totalMemory = -1;
    private long machineMemory = -1;
    private int samplesUntilTotalRefresh;
    private double cpuScale = HostLoad.UNKNOWN;

    /** @param proc null where /proc is not to be used (tests, non-Linux) */
    public PlatformSampler(OperatingSystemMXBean os, MemoryMXBean memory, ProcFiles proc) {
        this(os, memory, proc, null);
    }

    /** @param cgroup null to report the machine's figures whatever cgroup the host runs in */
    public PlatformSampler(OperatingSystemMXBean os, MemoryMXBean memory, ProcFiles proc, CgroupSampler cgroup) {
        this.cgroup = cgroup;
        this.os = os;
        this.sunOs = os instanceof com.sun.management.OperatingSystemMXBean s ? s : null;
        this.memory = memory;
        this.proc = proc;
    }

    public static PlatformSampler ofThisJvm() {
        return new PlatformSampler(ManagementFactory.getOperatingSystemMXBean(), ManagementFactory.getMemoryMXBean(),
                new ProcFiles(), new CgroupSampler(OnlineCpus.count()));
    }

    /** The machine's figures (for a host that runs in no cgroup of its own). */
    public void sample(HostLoad.Builder b) {
        sample(b, CgroupDirs.NONE);
    }

    /** @param host the cgroup the host's JVM(s) run in, {@link CgroupDirs#NONE} for none known */
    public void sample(HostLoad.Builder b, CgroupDirs host) {
        long wall = System.nanoTime();
        // machine figures are taken every time, so a host that leaves its cgroup has a rate at once
        double machineCpu = systemCpu();
        double machineMem = systemMemory();
        b.processCpu(processCpu(wall));
        lastWallNanos = wall;
        String cpuScope = null;
        String memoryScope = null;
        if (cgroup != null) {
            cgroup.sample(host, wall, machineMemory);
            cpuScope = cgroup.cpuScope();
            memoryScope = cgroup.memoryScope();
        }
        b.systemCpu(cpuScope != null ? cgroup.cpu() : machineCpu);
        cpuScale = cpuScope != null ? cgroup.cpuQuota() : os == null ? HostLoad.UNKNOWN : os.getAvailableProcessors();
        b.systemMemory(memoryScope != null ? cgroup.memory() : machineMem);
        b.resourceScope(ResourceScope.of(cpuScope, memoryScope));
        if (memory != null) {
            MemoryUsage heap = memory.getHeapMemoryUsage();
            b.heapUsedBytes(heap.getUsed() >= 0 ? heap.getUsed() : HostLoad.UNKNOWN_COUNT);
            b.heapMaxBytes(heap.getMax() > 0 ? heap.getMax() : HostLoad.UNKNOWN_COUNT);
        }
    }

    /**
     * The CPUs that the last sample's system CPU figure of 1.0 stands for: the cgroup's quota where the figure is the
     * cgroup's, else the machine's processors; NaN before the first sample.
     */
    public double cpuScale() {
        return cpuScale;
    }

    private double systemCpu() {
        if (proc != null && proc.cpuTicks(ticks)) {
            double v = HostLoad.UNKNOWN;
            long total = ticks[1] - lastTotalTicks;
            if (lastTotalTicks >= 0 && total > 0) {
                v = fraction(Math.min(1.0, (double) (ticks[0] - lastBusyTicks) / total));
            }
            lastBusyTicks = ticks[0];
            lastTotalTicks = ticks[1];
            return v;
        }
        return sunOs == null ? HostLoad.UNKNOWN : fraction(sunOs.getCpuLoad());
    }

    private double processCpu(long wall) {
        if (sunOs == null) {
            return HostLoad.UNKNOWN;
        }
        long cpu = sunOs.getProcessCpuTime();
        int processors = os.getAvailableProcessors();
        double v = HostLoad.UNKNOWN;
        if (cpu >= 0 && lastProcessCpuNanos >= 0 && wall > lastWallNanos && processors > 0) {
            // timer jitter can put a fully busy interval a hair above 1
            v = fraction(Math.min(1.0, (cpu - lastProcessCpuNanos) / ((wall - lastWallNanos) * (double) processors)));
        }
        lastProcessCpuNanos = cpu;
        return v;
    }

    private double systemMemory() {
        if (sunOs == null) {
            return HostLoad.UNKNOWN;
        }
        if (samplesUntilTotalRefresh-- <= 0) {
            totalMemory = sunOs.getTotalMemorySize();
            machineMemory = proc == null ? -1 : proc.memTotalBytes();
            samplesUntilTotalRefresh = TOTAL_MEMORY_REFRESH - 1;
        }
        long total = totalMemory;
        if (total <= 0) {
            return HostLoad.UNKNOWN;
        }
        long available = proc == null ? -1 : proc.memAvailableBytes();
        long notUsed = available >= 0 && available <= total ? available : sunOs.getFreeMemorySize();
        if (notUsed < 0 || notUsed > total) {
            return HostLoad.UNKNOWN;
        }
        return (double) (total - notUsed) / total;
    }

    // The JDK returns a negative value when a figure is not available (yet, or on this platform).
    private static double fraction(double v) {
        return v >= 0.0 && v <= 1.0 ? v : HostLoad.UNKNOWN;
    }
}
