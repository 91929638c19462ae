package dev.spillway.agent.sampling;

import dev.spillway.agent.contract.HostLoad;
import java.util.Objects;

/**
 * A host's own CPU and memory, from the cgroup it runs in, where that cgroup limits them.
 *
 * <ul>
 *   <li>CPU: the cgroup's CPU time over the last interval against its quota, {@code usage delta / (quota x
 *       elapsed)}, 0..1 of the quota.</li>
 *   <li>Memory: used (minus inactive page cache) against the limit, 0..1.</li>
 * </ul>
 * Only a limit makes the cgroup the host's own measure. Without one (the root cgroup, a systemd slice with no
 * quota) its processes compete for the whole machine, and a busy machine slows them whatever their cgroup has
 * used, so the machine's figures are the right ones. A quota of the machine's CPU count or more, or a memory limit
 * of all its memory or more, cannot bind either and counts as none. Each resource is decided on its own: a cgroup
 * may cap CPU and not memory. Not thread-safe: called from the one sampling thread.
 */
public final class CgroupSampler {
    /** Which files a cgroup has is looked at again this often: v2 can enable a controller in a running cgroup. */
    static final int FILES_REFRESH_SAMPLES = 10;

    private final CgroupFiles files = new CgroupFiles();
    private final double machineCpus;
    private CgroupDirs dirs = CgroupDirs.NONE;
    private CgroupReader reader = new CgroupReader(CgroupDirs.NONE, files);
    private long lastUsageNanos = -1;
    private long lastWallNanos;
    private int samplesUntilRefresh = FILES_REFRESH_SAMPLES;

    private String cpuScope;
    private double cpu = HostLoad.UNKNOWN;
    private double cpuQuota = HostLoad.UNKNOWN;
    private String memoryScope;
    private double memory = HostLoad.UNKNOWN;

    /** @param machineCpus the machine's online CPUs ({@link OnlineCpus}) */
    public CgroupSampler(double machineCpus) {
        this.machineCpus = machineCpus;
    }

    /**
     * Takes one sample of {@code dirs} (the host's cgroup; {@link CgroupDirs#NONE} for none).
     *
     * @param wallNanos {@link System#nanoTime()} now
     * @param machineMemoryBytes the machine's memory (MemTotal), or -1 when unknown
     */
    public void sample(CgroupDirs dirs, long wallNanos, long machineMemoryBytes) {
        if (!Objects.equals(dirs, this.dirs)) {
            this.dirs = dirs;
            reader = new CgroupReader(dirs, files);
            samplesUntilRefresh = FILES_REFRESH_SAMPLES;
            lastUsageNanos = -1; // another cgroup's counter: no delta across the switch
        } else if (--samplesUntilRefresh <= 0) {
            String cpuVersion = reader.cpuVersion();
            reader = new CgroupReader(dirs, files);
            samplesUntilRefresh = FILES_REFRESH_SAMPLES;
            if (!Objects.equals(cpuVersion, reader.cpuVersion())) {
                lastUsageNanos = -1;
            }
        }
        sampleCpu(wallNanos);
        sampleMemory(machineMemoryBytes);
    }

    private void sampleCpu(long wallNanos) {
        double quota = reader.cpuQuota();
        long usage = reader.cpuUsageNanos();
        if (Double.isNaN(quota) || quota >= machineCpus || usage < 0) {
            cpuScope = null;
            cpu = HostLoad.UNKNOWN;
            lastUsageNanos = -1;
            return;
        }
        cpuScope = reader.cpuVersion();
        cpuQuota = quota;
        cpu = HostLoad.UNKNOWN;
        long elapsed = wallNanos - lastWallNanos;
        if (lastUsageNanos >= 0 && usage >= lastUsageNanos && elapsed > 0) {
            // the quota is enforced per period, not per sampling interval: an interval can see a hair more
            cpu = Math.min(1.0, (usage - lastUsageNanos) / (quota * elapsed));
        }
        lastUsageNanos = usage;
        lastWallNanos = wallNanos;
    }

    private void sampleMemory(long machineMemoryBytes) {
        long limit = reader.memoryLimitBytes();
        if (limit <= 0 || (machineMemoryBytes > 0 && limit >= machineMemoryBytes)) {
            memoryScope = null;
            memory = HostLoad.UNKNOWN;
            return;
        }
        memoryScope = reader.memoryVersion();
        long used = reader.memoryUsedBytes();
        memory = used < 0 ? HostLoad.UNKNOWN : Math.min(1.0, (double) used / limit);
    }

    /** "cgroup-v1" or "cgroup-v2" when the last sample's CPU came from a limited cgroup, else null. */
    public String cpuScope() {
        return cpuScope;
    }

    /** The cgroup's CPU use, 0..1 of its quota; NaN on the first sample of a cgroup or when unknown. */
    public double cpu() {
        return cpu;
    }

    /** The quota in CPUs when {@link #cpuScope()} is not null: what {@link #cpu()} 1.0 stands for. */
    public double cpuQuota() {
        return cpuQuota;
    }

    public String memoryScope() {
        return memoryScope;
    }

    public double memory() {
        return memory;
    }
}
