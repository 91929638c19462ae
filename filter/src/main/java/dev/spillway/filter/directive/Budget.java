package dev.spillway.filter.directive;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A target's budget under a permit: at most {@code perSecond} requests a second, with a burst of up to
 * {@link #BURST_SECONDS} of it, rounded up (at least one request). Kept as a "theoretical arrival time" (the generic
 * cell-rate algorithm): one {@code AtomicLong}, one CAS per request taken, nothing to refill on a timer. Lock-free.
 * Over any span of {@code t} seconds it lets through at most {@code burst + perSecond * t} requests.
 *
 * <p>Why a quarter of a second: a hot pool looks for budget only as its workers free, and workers that started
 * together free together, once per service time; the burst is what one such bunch can spend. With a tenth of a
 * second (2 of a 28/s budget) a 10-worker pool at 140% freed its workers in bunches every 100 ms and could spend
 * only about 20 of each 28/s, so it moved 40/s where it needed 41 and its queue grew all row long (BENCHMARKS.md 7,
 * "Session 6: shapes 2 and 3"). A quarter of a second covers bunches of pages up to 250 ms. It stays short because a
 * budget is a share of a peer's spare capacity, which the peer holds as idle workers: a burst much beyond one service
 * time's worth would queue on the peer.
 */
public final class Budget {
    /** How much of a second's budget may be spent at once after a quiet spell. */
    static final double BURST_SECONDS = 0.25;
    /**
     * The least lateness a take may make up for. Requests look for budget only as workers pick them up, not the
     * moment a request's worth comes due; with no slack, every late look would lose the time it was late and a
     * 19/s budget with no burst delivered about half of it in the hotspot benchmark's shape 2.
     */
    static final long MIN_TOLERANCE_NANOS = 50_000_000L;

    private final double perSecond;
    private final long intervalNanos;
    private final long toleranceNanos;
    /** When the next request would be due if they came exactly at the rate; never far behind "now". */
    private final AtomicLong theoreticalArrival;

    /** A fully rested budget: its whole burst is there at {@code nowNanos}. */
    public Budget(double perSecond, long nowNanos) {
        this(perSecond, nowNanos, 0.0);
    }

    /**
     * A budget that starts with {@code spentAhead} requests' worth already spent (what the budget it replaces had
     * spent, {@link #spent}; a zero budget's infinite figure counts as none), so that a permit renewed every cycle does not hand out a fresh burst each time.
     */
    Budget(double perSecond, long nowNanos, double spentAhead) {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("budget " + perSecond + " is not valid; expected requests/s >= 0");
        }
        this.perSecond = perSecond;
        this.intervalNanos = perSecond == 0 ? Long.MAX_VALUE : Math.max(1, (long) (1e9 / perSecond));
        long burst = burstOf(perSecond);
        this.toleranceNanos = perSecond == 0 ? -1
                : Math.max((burst - 1) * intervalNanos, Math.min(intervalNanos, MIN_TOLERANCE_NANOS));
        long ahead = 0;
        if (perSecond > 0 && spentAhead > 0 && !Double.isInfinite(spentAhead)) {
            // at most up to the edge of the burst: more would only refuse requests the new rate allows
            double nanos = Math.min(spentAhead * intervalNanos, (double) toleranceNanos + intervalNanos);
            ahead = (long) nanos;
        }
        this.theoreticalArrival = new AtomicLong(nowNanos + ahead);
    }

    /** Requests a budget of {@code perSecond} may take at once: its burst, rounded up, at least one. */
    static long burstOf(double perSecond) {
        // the small subtraction keeps a product that is whole but for rounding (e.g. 28 * 0.25) from going up by one
        return Math.max(1, (long) Math.ceil(perSecond * BURST_SECONDS - 1e-9));
    }

    public double perSecond() {
        return perSecond;
    }

    /** Takes one request's worth if there is budget left at {@code nowNanos}; false (and nothing taken) if not. */
    public boolean take(long nowNanos) {
        if (toleranceNanos < 0) {
            return false;
        }
        while (true) {
            long tat = theoreticalArrival.get();
            long start = tat - nowNanos < 0 ? nowNanos : tat;
            if (start - nowNanos > toleranceNanos) {
                return false;
            }
            if (theoreticalArrival.compareAndSet(tat, start + intervalNanos)) {
                return true;
            }
        }
    }

    /**
     * Requests' worth of this budget already spent ahead of {@code nowNanos} (0: fully rested); infinite for a zero
     * budget. The filter sends the next request to the target with the least spent, which shares requests among
     * targets in proportion to their budgets.
     */
    public double spent(long nowNanos) {
        if (toleranceNanos < 0) {
            return Double.POSITIVE_INFINITY;
        }
        long ahead = theoreticalArrival.get() - nowNanos;
        return ahead <= 0 ? 0.0 : (double) ahead / intervalNanos;
    }
}
