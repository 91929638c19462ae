package dev.spillway.demo;

import java.util.List;

/**
 * The figures of the demo's third phase (the spare d joins under load and leaves when it falls).
 *
 * @param allocatedAtSecond second of the high load in which d's allocation was seen (-1: never)
 * @param releasedAtSecond  second after the load fell in which d's release was seen (-1: never)
 * @param p99BeforeMillis   p99 of the requests due under the high load before d was allocated
 * @param p99WithSpareMillis p99 of the requests due under the high load after d was allocated
 * @param p99FallenMillis   p99 of the requests due after the load fell
 * @param servedBySpare     requests d served (all of them moved there: no load is sent to d)
 * @param requestsWithSpare requests due under the high load after d was allocated
 * @param servedBeforeAllocation requests d had served when its allocation was seen (must be 0)
 * @param errors            failed requests of the phase
 * @param membership        the manager's membership file at the end
 * @param hooks             the lines the pool hook recorded
 */
public record PoolReport(int allocatedAtSecond, int releasedAtSecond, double p99BeforeMillis,
        double p99WithSpareMillis, double p99FallenMillis, long servedBySpare, long requestsWithSpare,
        long servedBeforeAllocation, long errors, String membership, List<String> hooks) {

    /** d's share of the requests due under the high load after its allocation, percent. */
    public double spareSharePercent() {
        return requestsWithSpare == 0 ? 0 : 100.0 * servedBySpare / requestsWithSpare;
    }
}
