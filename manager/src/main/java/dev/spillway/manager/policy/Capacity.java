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
 *       {@code (served + moveCost × moved) / cpu}: the rate at which its pages would use its whole CPU quota, for
 *       pages bound by CPU rather than by workers. The CPU counted is the pages': what the JVM's JIT compiler and GC
 *       used is taken out ({@link #pageCpu}); the requests it moved away spent some of it too ({@link MoveCost}).
 *       The figure is exact at a full quota and reads low below it (CPU the host spends per interval whatever its
 *       rate counts as pages'), so no margin is taken off it: the share below keeps targets off their full rate. A
 *       machine-wide CPU figure says nothing about one of several servers sharing the machine, so it is not used;
 *       nor is a CPU below {@value #MIN_CPU_FOR_ESTIMATE} (too little to extrapolate from).</li>
 *   <li><b>own rate</b> = request rate − requests other hosts moved to it ({@link MovedIn}): the load it must carry
 *       whatever happens.</li>
 *   <li><b>spare</b> = {@code share × capacity − own rate − backlog}, at least 0, where backlog is the requests
 *       waiting for its workers now ({@link #backlog}): what may be promised to other hosts. The
 *       share (offload.share, 0.8 by default) keeps every target below its full rate, where queues stay short.</li>
 *   <li><b>move cost</b>: what a request it moves still costs it, against serving it ({@link MoveCost}), when its
 *       capacity is its CPU's; 0 when it is its workers' (moving a request frees its worker).</li>
 * </ul>
 * Unknown is NaN: a host whose capacity is unknown gets no budget pointing at it.
 */
public record Capacity(double capacity, double ownRate, double spare, double serviceTimeMillis, long maxWorkers,
                       double moveCost) {
    public static final Capacity UNKNOWN = new Capacity(Double.NaN, Double.NaN, 0, Double.NaN, -1);
    /** Spare below this part of capacity is read as none (a Poisson rate's one-second noise is larger). */
    static final double NOISE_SHARE = 0.05;
    static final double MIN_CPU_FOR_ESTIMATE = 0.2;

    /** A host whose capacity is bound by its workers: moving a request frees all it would have cost. */
    public Capacity(double capacity, double ownRate, double spare, double serviceTimeMillis, long maxWorkers) {
        this(capacity, ownRate, spare, serviceTimeMillis, maxWorkers, 0);
    }

    public Capacity {
        if (!(moveCost >= 0 && moveCost < 1)) {
            throw new IllegalArgumentException("moveCost " + moveCost + " must be at least 0 and below 1");
        }
    }

    /** {@link #estimate(HostLoad, double, double, double, double)} for moves that cost their source nothing. */
    public static Capacity estimate(HostLoad load, double serviceTimeMillis, double inflow, double share) {
        return estimate(load, serviceTimeMillis, inflow, share, 0);
    }

    /**
     * @param serviceTimeMillis the host's smoothed service time, or the cluster's when it has none
     * @param inflow            requests per second other hosts moved to this one in the last interval, best counted by
     *                          the host itself in its request rate's window ({@link MovedIn})
     * @param share             the part of capacity that may be used (offload.share)
     * @param moveCost          what a moved request costs a CPU-bound source against serving it ({@link MoveCost})
     */
    public static Capacity estimate(HostLoad load, double serviceTimeMillis, double inflow, double share,
                                    double moveCost) {
        if (load == null) {
            return UNKNOWN;
        }
        long workers = load.getMaxWorkers();
        double capacity = workers > 0 && serviceTimeMillis > 0 ? workers * 1000.0 / serviceTimeMillis : Double.NaN;
        double rate = load.getRequestRate();
        double cpuBound = cpuBound(load, rate, moveCost);
        boolean byCpu = !Double.isNaN(cpuBound) && !(capacity <= cpuBound);
        if (byCpu) {
            capacity = cpuBound;
        }
        double own = Double.isNaN(rate) ? Double.NaN : Math.max(0, rate - Math.max(0, inflow));
        // Requests waiting for its workers now are load it must serve before any moved here: a backed-up host's
        // rate is only what its workers get through, so without this it would look spare while its queue grows.
        double spare = Double.isNaN(capacity) || Double.isNaN(own) ? 0
                : Math.max(0, share * capacity - own - backlog(load));
        if (spare < NOISE_SHARE * capacity) {
            spare = 0; // within a request rate's noise over one interval: promising it would only move bursts around
        }
        return new Capacity(capacity, own, spare, serviceTimeMillis, workers, byCpu ? moveCost : 0);
    }

    /**
     * Requests waiting for a worker now (0 when unknown), read as requests per second to be served or moved within
     * the next second: a backlog the rate does not show, on either side of a move.
     */
    public static double backlog(HostLoad load) {
        double waiting = load == null ? Double.NaN : load.getWaitingRequests();
        return waiting > 0 ? waiting : 0;
    }

    /** The rate at which its pages would use the whole quota: served pages, and moved ones at their cost, per CPU. */
    private static double cpuBound(HostLoad load, double rate, double moveCost) {
        String scope = load.getResourceScope();
        boolean own = scope != null && (scope.startsWith("cgroup") || scope.contains("cpu=cgroup"));
        double cpu = load.getSystemCpu();
        if (!own || !(cpu >= MIN_CPU_FOR_ESTIMATE) || Double.isNaN(rate)) {
            return Double.NaN;
        }
        double moved = Double.isNaN(load.getMovedRate()) ? 0 : Math.min(rate, Math.max(0, load.getMovedRate()));
        double served = rate - moved;
        return served > 0 ? (served + moveCost * moved) / pageCpu(cpu, load.getRuntimeCpu()) : Double.NaN;
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

    /**
     * The requests per second it must move so that what it keeps and what moving the rest costs it fit the part of
     * its capacity it may use: keeping {@code λ − m} and moving {@code m} at move cost {@code k} fits when
     * {@code λ − m + k·m ≤ share × capacity}, so {@code m = (excess + unmet) / (1 − k)}.
     *
     * @param unmet requests per second it had to move in the last interval and no budget for (beyond its rate);
     *              NaN (an agent that does not say) counts as none
     */
    public double need(double share, double unmet) {
        return need(share, unmet, 0);
    }

    /**
     * {@link #need(double, double)}, but never below what the host moved within its budgets last interval plus
     * what found none: {@code max((excess + unmet) / (1 − k), moved + unmet)}. The valve moves a request only when
     * the pool backs up, so every moved request is demand this pool did not serve in time; and a backed-up pool takes
     * requests in no faster than it serves plus what it may spill, so its rate, and the excess from it, read low. A
     * budget sized from the excess alone is cut below what the host is using right after a raise has stopped the
     * refusals, and the pool backs up again until the next raise. When the moves stop, the term goes with them.
     *
     * @param moved requests per second it moved to peers in the last interval; NaN (unknown) counts as none
     */
    public double need(double share, double unmet, double moved) {
        double over = unmet > 0 ? unmet : 0; // unmet unknown (NaN): none seen
        double fromRate = (excess(share) + over) / (1 - moveCost);
        return moved > 0 ? Math.max(fromRate, moved + over) : fromRate;
    }

    /** How far the host's own rate exceeds the part of its capacity it may use (0 if it does not), requests/s. */
    public double excess(double share) {
        if (Double.isNaN(capacity) || Double.isNaN(ownRate)) {
            return 0;
        }
        return Math.max(0, ownRate - share * capacity);
    }
}
