package dev.spillway.filter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which of the requests that found the valve open and every budget spent were demand that should have left: the
 * filter counts those as {@code SpillOverBudget}, the agent reports their rate, and the manager adds it to the host's
 * need as requests/s to move beyond what it moved.
 *
 * <p>Not every such request: a backed-up pool asks for budget at every worker pickup, so a pool that stays a few
 * requests deep with its budget spent meets the empty bucket with every request it serves, and counting them all
 * read the pool's throughput, several times its shortfall (BENCHMARKS.md 7, "Session 8: more unseen shapes",
 * {@code long1s}). What should have left is what an unlimited budget would have moved: from the first refusal,
 * the valve would have spilled requests one after another (each spill frees the worker for the next) until only
 * {@code spillWaiting - 1} waited, that is the backlog above that level. So since the pool last drained to that
 * level, a refusal counts only while fewer have counted than the highest backlog a refusal saw stood above it:
 * <ul>
 *   <li>a pool standing a few deep counts those few once, not its throughput every second;</li>
 *   <li>a backlog that grows counts its growth, at most one per refusal (each count a real request);</li>
 *   <li>a backlog that its own workers work off while the budget is spent counts each request taken from it (an
 *       unlimited budget would have moved them all), as does a pool that drains and backs up again, afresh.</li>
 * </ul>
 * A backlog that shrinks under the budgets and grows back within its old height counts nothing more; the need's
 * excess term, which reads a busy pool at its share, drains that.
 *
 * <p>A request refused while the valve opened for its other signals (the CPU cgroup at its quota, or the reserve of
 * free workers) with no backlog behind it has no backlog to measure by, and counts as before: each one.
 */
final class UnmetDemand {
    /** The requests the valve lets wait: a backlog up to here is no demand to move. */
    private final int tolerated;
    /**
     * Since the pool last drained: the highest backlog a refusal saw (upper half) and {@link #tolerated} plus the
     * refusals counted (lower half), in one word so that both move together.
     */
    private final AtomicLong state;

    UnmetDemand(int spillWaiting) {
        this.tolerated = Math.max(0, spillWaiting - 1);
        this.state = new AtomicLong(pack(tolerated, tolerated));
    }

    private static long pack(int high, int counted) {
        return ((long) high << 32) | (counted & 0xffffffffL);
    }

    /**
     * A request under a permit (or with none) found {@code waiting} requests behind it; a pool back at the level the
     * valve tolerates ends the backlog counted so far. Writes only when that ends one: this runs on every request.
     */
    void seen(int waiting) {
        if (waiting >= 0 && waiting <= tolerated) {
            long drained = pack(tolerated, tolerated);
            if (state.get() != drained) {
                state.set(drained);
            }
        }
    }

    /**
     * A request that found the valve open and no budget, with {@code waiting} requests behind it (-1: unknown):
     * whether it counts as unmet demand.
     */
    boolean refused(int waiting) {
        if (waiting <= tolerated) {
            seen(waiting);
            return true; // opened by the CPU or the reserve, not a backlog: no height to go by
        }
        while (true) {
            long s = state.get();
            int high = Math.max((int) (s >>> 32), waiting);
            int counted = (int) s;
            boolean counts = counted < high;
            long next = pack(high, counts ? counted + 1 : counted);
            if (next == s || state.compareAndSet(s, next)) {
                return counts;
            }
        }
    }
}
