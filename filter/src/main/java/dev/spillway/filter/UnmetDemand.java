package dev.spillway.filter;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which of the requests that found the valve open and every budget spent were demand that should have left: the
 * filter counts those as {@code SpillOverBudget}, the agent reports their rate, and the manager adds it to the host's
 * need as requests/s to move beyond what it moved.
 *
 * <p>Not every such request: a backed-up pool asks for budget at every worker pickup, so a pool that stays a few
 * requests deep with its budget spent meets the empty bucket with every request it serves, and counting them all
 * read the pool's whole throughput (53-75 req/s against a shortfall of 13 in the hotspot benchmark's 1 s page,
 * BENCHMARKS.md 7, "Session 8: more unseen shapes"), so the budgets it fed swung from cycle to cycle. What should
 * have left and did not is what the backlog gained: had those requests moved, the queue would have stayed at the
 * level the valve lets stand ({@code spillWaiting - 1}). So since the pool last drained to that level, refusals
 * count only while fewer have counted than the backlog stands above it: a growing backlog counts its growth (at most
 * one per refusal, each a real request), a backlog that stands still counts its depth once, and a pool that drains
 * and backs up again counts afresh. A backlog that shrinks under the budgets and grows back within its old depth
 * counts nothing more; the need's excess term, which reads a busy pool at its share, drains that.
 *
 * <p>A request refused while the valve opened for its other signals (the CPU cgroup at its quota, or the reserve of
 * free workers) with no backlog behind it has no backlog to measure by, and counts as before: each one.
 */
final class UnmetDemand {
    /** The requests the valve lets wait: a backlog up to here is no demand to move. */
    private final int tolerated;
    /** {@link #tolerated} plus the refusals counted since the pool last drained to it. */
    private final AtomicInteger counted;

    UnmetDemand(int spillWaiting) {
        this.tolerated = Math.max(0, spillWaiting - 1);
        this.counted = new AtomicInteger(tolerated);
    }

    /**
     * A request under a permit (or with none) found {@code waiting} requests behind it; a pool back at the level the
     * valve tolerates ends the backlog counted so far. Writes only when that ends one: this runs on every request.
     */
    void seen(int waiting) {
        if (waiting >= 0 && waiting <= tolerated && counted.get() != tolerated) {
            counted.set(tolerated);
        }
    }

    /**
     * A request that found the valve open and no budget, with {@code waiting} requests behind it (-1: unknown):
     * whether it counts as unmet demand.
     */
    boolean refused(int waiting) {
        if (waiting <= tolerated) {
            seen(waiting);
            return true; // opened by the CPU or the reserve, not a backlog: no depth to go by
        }
        while (true) {
            int c = counted.get();
            if (c >= waiting) {
                return false; // the backlog has not grown past what was already counted
            }
            if (counted.compareAndSet(c, c + 1)) {
                return true;
            }
        }
    }
}
