package dev.spillway.filter.directive;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A target's budget under a permit: at most {@code perSecond} requests a second, with a burst of up to
 * {@link #BURST_SECONDS} of it (at least one request). Kept as a "theoretical arrival time" (the generic cell-rate
 * algorithm): one {@code AtomicLong}, one CAS per request taken, nothing to refill on a timer. Lock-free.
 *
 * <p>The burst is short on purpose: a budget is a share of a peer's spare capacity, and a filter that saved up a
 * second of it could herd a whole second's worth onto the peer in one go.
 */
public final class Budget {
    /** How much of a second's budget may be spent at once after a quiet spell. */
    static final double BURST_SECONDS = 0.1;
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

    public Budget(double perSecond, long nowNanos) {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("budget " + perSecond + " is not valid; expected requests/s >= 0");
        }
        this.perSecond = perSecond;
        this.intervalNanos = perSecond == 0 ? Long.MAX_VALUE : Math.max(1, (long) (1e9 / perSecond));
        long burst = Math.max(1, (long) Math.floor(perSecond * BURST_SECONDS));
        this.toleranceNanos = perSecond == 0 ? -1
                : Math.max((burst - 1) * intervalNanos, Math.min(intervalNanos, MIN_TOLERANCE_NANOS));
        this.theoreticalArrival = new AtomicLong(nowNanos);
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
