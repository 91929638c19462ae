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

    /** The fraction wanted this cycle, given the fraction granted last cycle. */
    public double next(double granted, boolean overloaded, boolean aboveHighNow) {
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
