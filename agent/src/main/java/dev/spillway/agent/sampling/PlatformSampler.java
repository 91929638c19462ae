package dev.spillway.agent.sampling;

import dev.spillway.agent.contract.HostLoad;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.LongSupplier;

/**
 * CPU and memory from the platform MXBeans handed in (tests hand in fakes). What the platform cannot tell is left
 * unknown (NaN, -1), never 0: a 0 would read as "idle" to the manager.
 */
public final class PlatformSampler {
    private final com.sun.management.OperatingSystemMXBean sunOs;
    private final MemoryMXBean memory;
    private final LongSupplier availableMemoryBytes;

    /**
     * @param availableMemoryBytes memory available to new work (Linux MemAvailable, which counts reclaimable page
     *                             cache as available), or -1 when the platform does not say; the MXBean's "free"
     *                             memory counts cache as used and would make every Linux host look full
     */
    public PlatformSampler(OperatingSystemMXBean os, MemoryMXBean memory, LongSupplier availableMemoryBytes) {
        this.sunOs = os instanceof com.sun.management.OperatingSystemMXBean s ? s : null;
        this.memory = memory;
        this.availableMemoryBytes = availableMemoryBytes;
    }

    public static PlatformSampler ofThisJvm() {
        return new PlatformSampler(java.lang.management.ManagementFactory.getOperatingSystemMXBean(),
                java.lang.management.ManagementFactory.getMemoryMXBean(), LinuxMemInfo::availableBytes);
    }

    public void sample(HostLoad.Builder b) {
        if (sunOs != null) {
            b.systemCpu(fraction(sunOs.getCpuLoad()));
            b.processCpu(fraction(sunOs.getProcessCpuLoad()));
            b.systemMemory(memoryUsed(sunOs.getTotalMemorySize(), sunOs.getFreeMemorySize()));
        }
        if (memory != null) {
            MemoryUsage heap = memory.getHeapMemoryUsage();
            b.heapUsedBytes(heap.getUsed() >= 0 ? heap.getUsed() : HostLoad.UNKNOWN_COUNT);
            b.heapMaxBytes(heap.getMax() > 0 ? heap.getMax() : HostLoad.UNKNOWN_COUNT);
        }
    }

    private double memoryUsed(long total, long free) {
        if (total <= 0) {
            return HostLoad.UNKNOWN;
        }
        long available = availableMemoryBytes.getAsLong();
        long notUsed = available >= 0 && available <= total ? available : free;
        if (notUsed < 0 || notUsed > total) {
            return HostLoad.UNKNOWN;
        }
        return (double) (total - notUsed) / total;
    }

    // The JDK returns a negative value when the figure is not available (yet, or on this platform).
    private static double fraction(double v) {
        return v >= 0.0 && v <= 1.0 ? v : HostLoad.UNKNOWN;
    }
}
