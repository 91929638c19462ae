package dev.spillway.manager.policy;

import dev.spillway.agent.contract.HostLoad;

/**
 * What one host can serve and what it has left, in requests per second, as estimated in one cycle.
 *
 * <ul>
 *   <li><b>capacity</b> = workers / service time: {@code maxWorkers / (serviceTimeMillis / 1000)}, the rate at
 *       which the pool finishes requests with every worker busy. The service time is the mean time a request served
 *       here held its worker over the last interval (smoothed by the policy, and borrowed from the cluster's median
 *       for a host that served nothing yet: the same webapp runs on every host).</li>
 *   <li>where the host's CPU figure is its own (a cgroup with a quota: {@code resourceScope}), also at most
 *       {@code served rate / cpu × }{@value #CPU_CEILING}: the rate at which its CPU quota would be
 *       {@value #CPU_CEILING} used, for pages bound by CPU rather than by workers. The CPU counted is the pages':
 *       what the JVM's JIT compiler and GC used is taken out ({@link #pageCpu}). A machine-wide CPU figure says
 *       nothing about one of several servers sharing the machine, so it is not used; nor is a CPU below
 *       {@value #MIN_CPU_FOR_ESTIMATE} (too little to extrapolate from).</li>
 *   <li><b>own rate</b> = request rate − requests other hosts moved to it: the load it must carry whatever happens.</li>
 *   <li><b>spare</b> = {@code share × capacity − own rate}, at least 0: what may be promised to other hosts. The
 *       share (offload.share, 0.8 by default) keeps every target below its full rate, where queues stay short.</li>
 * </ul>
 * Unknown is NaN: a host whose capacity is unknown gets no budget pointing at it.
 */
public record Capacity(double capacity, double ownRate, double spare, double serviceTimeMillis, long maxWorkers) {
    public static final Capacity UNKNOWN = new Capacity(Double.NaN, Double.NaN, 0, Double.NaN, -1);
    static final double CPU_CEILING = 0.9;
    /** Spare below this part of capacity is read as none (a Poisson rate's one-second noise is larger). */
    static final double NOISE_SHARE = 0.05;
    static final double MIN_CPU_FOR_ESTIMATE = 0.2;

    /**
     * @param serviceTimeMillis the host's smoothed service time, or the cluster's when it has none
     * @param inflow            requests per second other hosts moved to this one in the last interval
     * @param share             the part of capacity that may be used (offload.share)
     */
    public static Capacity estimate(HostLoad load, double serviceTimeMillis, double inflow, double share) {
        if (load == null) {
            return UNKNOWN;
        }
        long workers = load.getMaxWorkers();
        double capacity = workers > 0 && serviceTimeMillis > 0 ? workers * 1000.0 / serviceTimeMillis : Double.NaN;
        double rate = load.getRequestRate();
        double cpuBound = cpuBound(load, rate);
        if (!Double.isNaN(cpuBound)) {
            capacity = Double.isNaN(capacity) ? cpuBound : Math.min(capacity, cpuBound);
        }
        double own = Double.isNaN(rate) ? Double.NaN : Math.max(0, rate - Math.max(0, inflow));
        double spare = Double.isNaN(capacity) || Double.isNaN(own) ? 0 : Math.max(0, share * capacity - own);
        if (spare < NOISE_SHARE * capacity) {
            spare = 0; // within a request rate's noise over one interval: promising it would only move bursts around
        }
        return new Capacity(capacity, own, spare, serviceTimeMillis, workers);
    }

    private static double cpuBound(HostLoad load, double rate) {
        String scope = load.getResourceScope();
        boolean own = scope != null && (scope.startsWith("cgroup") || scope.contains("cpu=cgroup"));
        double cpu = load.getSystemCpu();
        if (!own || !(cpu >= MIN_CPU_FOR_ESTIMATE) || Double.isNaN(rate)) {
            return Double.NaN;
        }
        double moved = load.getMovedRate();
        double served = Double.isNaN(moved) ? rate : Math.max(0, rate - moved);
        return served > 0 ? served / pageCpu(cpu, load.getRuntimeCpu()) * CPU_CEILING : Double.NaN;
    }

    /**
     * The part of the host's CPU its pages used: its CPU less what its JIT compiler and GC used
     * ({@link HostLoad#getRuntimeCpu()}), which a fresh JVM spends for tens of seconds under a small quota and then
     * no more. When that leaves too little to extrapolate from, the whole CPU figure (the host is busy compiling:
     * read it as it is, not as idle).
     */
    static double pageCpu(double cpu, double runtimeCpu) {
        if (!(runtimeCpu > 0)) {
            return cpu;
        }
        double pages = cpu - Math.min(runtimeCpu, cpu);
        return pages >= MIN_CPU_FOR_ESTIMATE ? pages : cpu;
    }

    /** How far the host's own rate exceeds the part of its capacity it may use (0 if it does not), requests/s. */
    public double excess(double share) {
        if (Double.isNaN(capacity) || Double.isNaN(ownRate)) {
            return 0;
        }
        return Math.max(0, ownRate - share * capacity);
    }
}
