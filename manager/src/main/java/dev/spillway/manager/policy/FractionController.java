package dev.spillway.manager.policy;

/**
 * How much of its eligible traffic an overloaded host should move, before the targets' headroom is applied
 * ({@link HeadroomAllocator}). Additive up, slower additive down:
 * <ul>
 *   <li>overloaded and some metric above its high mark now: {@code initial} on the first cycle, then the last
 *       granted fraction + {@code stepUp} (growing from what was granted, not what was wanted, so a host that was
 *       held back by headroom does not wind up to 100% in the background);</li>
 *   <li>overloaded but between the marks: hold the granted fraction (it is working);</li>
 *   <li>no longer overloaded (every metric below its low mark long enough): granted − {@code stepDown} per cycle,
 *       down to 0, i.e. LOCAL. Stepping down slower than up lets the load return gradually.</li>
 * </ul>
 *
 * <p><b>Holding instead of stepping down.</b> A host below its low mark only because it moves a share away would,
 * stepped down, take that share back and overload again: the fraction then saws up and down (a step down each
 * cycle until the queue is back above the high mark, then a step up each cycle) and the directive changes every
 * few seconds for as long as the load lasts. So the policy estimates, per offloading episode, the local rate at
 * which the host overloads: the mean of {@code requestRate x (1 - fraction)} over the cycles of its last overload
 * in which a metric was above its high mark (backlogged, the host serves all it can, and moved requests hold a
 * worker for next to no time). A step down is taken only while the local rate it would leave,
 * {@code requestRate x (1 - next)} with the highest request rate of the last {@code hysteresis.leave} samples,
 * stays below {@link #HOLD_BELOW} of that estimate; otherwise the fraction holds. When the load really falls the
 * request rate falls with it and the steps down go through. Without a request rate (an agent that reports none)
 * the controller steps down as before.
 */
public final class FractionController {
    private final double initial;
    private final double stepUp;
    private final double stepDown;

    public FractionController(double initial, double stepUp, double stepDown) {
        if (!(initial > 0 && initial <= 1) || !(stepUp > 0 && stepUp <= 1) || !(stepDown > 0 && stepDown <= 1)) {
            throw new IllegalArgumentException("initial, stepUp and stepDown must be in (0, 1]");
        }
        this.initial = initial;
        this.stepUp = stepUp;
        this.stepDown = stepDown;
    }

    /**
     * A step down is taken only while the local rate it leaves is below this share of the local rate at which the
     * host last overloaded (10% spare for the noise of one sample of a request rate).
     */
    public static final double HOLD_BELOW = 0.9;

    /** The fraction wanted this cycle, given the fraction granted last cycle (no request rate known). */
    public double next(double granted, boolean overloaded, boolean aboveHighNow) {
        return next(granted, overloaded, aboveHighNow, Double.NaN, Double.NaN);
    }

    /**
     * The fraction wanted this cycle.
     *
     * @param requestRate       the host's request rate now (requests/s reaching its filters, moved ones included),
     *                          NaN if unknown
     * @param overloadLocalRate the local rate the host served while last overloaded in this episode, NaN if unknown
     */
    public double next(double granted, boolean overloaded, boolean aboveHighNow, double requestRate,
                       double overloadLocalRate) {
        double f = unguarded(granted, overloaded, aboveHighNow);
        if (!overloaded && f < granted && holds(f, requestRate, overloadLocalRate)) {
            return granted;
        }
        return f;
    }

    /** True when stepping down to {@code next} would bring the host's local rate near where it overloaded. */
    public static boolean holds(double next, double requestRate, double overloadLocalRate) {
        if (!(requestRate > 0) || !(overloadLocalRate > 0)) {
            return false;
        }
        return requestRate * (1 - next) >= HOLD_BELOW * overloadLocalRate;
    }

    private double unguarded(double granted, boolean overloaded, boolean aboveHighNow) {
        double f;
        if (overloaded && aboveHighNow) {
            f = granted <= 0 ? initial : granted + stepUp;
        } else if (overloaded) {
            f = granted <= 0 ? initial : granted;
        } else {
            f = granted - stepDown;
        }
        f = Math.round(f * 100) / 100.0;   // whole percent: avoids 0.30000000000000004 in logs and directives
        return Math.max(0.0, Math.min(1.0, f));
    }
}
