package dev.spillway.filter.directive;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets through a set fraction of the calls made to it, spread evenly: call n (from 0) passes when
 * {@code floor((n+1)·f) > floor(n·f)}, so after any number of calls the count passed is within one of {@code n·f}.
 * A counter rather than a random draw keeps the moved share exact at every request rate, which is what the manager's
 * controller assumes when it sets the fraction. Lock-free; one atomic increment a call.
 */
public final class FractionGate {
    /** Fixed-point scale for the fraction; 1e6 steps is far finer than any fraction the manager sets. */
    static final long SCALE = 1_000_000L;

    private final long scaled;
    private final AtomicLong calls = new AtomicLong();

    public FractionGate(double fraction) {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("fraction " + fraction + " is out of range; expected 0..1");
        }
        this.scaled = Math.round(fraction * SCALE);
    }

    /** True if this call is one of the fraction that passes. */
    public boolean pass() {
        if (scaled == 0) {
            return false;
        }
        if (scaled == SCALE) {
            return true;
        }
        long n = calls.getAndIncrement();
        return ((n + 1) * scaled) / SCALE > (n * scaled) / SCALE;
    }
}
