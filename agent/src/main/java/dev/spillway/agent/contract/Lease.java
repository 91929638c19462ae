package dev.spillway.agent.contract;

/**
 * How long a directive or permit holds: granted at one reading of the monotonic clock ({@link System#nanoTime()}
 * scale) for a number of milliseconds, it holds until then and not a nanosecond longer. A renewal is a new lease
 * from the time it arrives. Everything that keeps a directive (the filter, the scripted stand-in filter of the
 * tests) asks this class, so "ended" means the same everywhere. Immutable.
 */
public final class Lease {
    /** Held by nothing: ended before it began. */
    public static final Lease ENDED = new Lease(Long.MIN_VALUE, true);

    private final long deadlineNanos;
    private final boolean ended;

    private Lease(long deadlineNanos, boolean ended) {
        this.deadlineNanos = deadlineNanos;
        this.ended = ended;
    }

    /**
     * A lease of {@code leaseMillis} granted at {@code nowNanos}. Lengths too large for the clock's range are held
     * at about 146 years, so no lease wraps around into the past.
     *
     * @throws IllegalArgumentException for a negative length
     */
    public static Lease grantedAt(long nowNanos, long leaseMillis) {
        if (leaseMillis < 0) {
            throw new IllegalArgumentException("lease " + leaseMillis + " ms; expected 0 or more milliseconds");
        }
        long leaseNanos = leaseMillis >= Long.MAX_VALUE / 2 / 1_000_000L ? Long.MAX_VALUE / 2 : leaseMillis * 1_000_000L;
        return new Lease(nowNanos + leaseNanos, false);
    }

    /** True while the lease holds at {@code nowNanos}; the comparison survives the clock's wrap-around. */
    public boolean holdsAt(long nowNanos) {
        return !ended && nowNanos - deadlineNanos < 0;
    }

    /** Milliseconds left at {@code nowNanos}: 0 once ended, at least 1 while it holds (never "0 but still on"). */
    public long remainingMillisAt(long nowNanos) {
        if (!holdsAt(nowNanos)) {
            return 0;
        }
        return Math.max(1, (deadlineNanos - nowNanos) / 1_000_000L);
    }

    @Override
    public String toString() {
        return ended ? "Lease[ended]" : "Lease[deadlineNanos=" + deadlineNanos + "]";
    }
}
