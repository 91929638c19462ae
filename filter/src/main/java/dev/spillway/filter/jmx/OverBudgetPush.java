package dev.spillway.filter.jmx;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Tells the agent the moment requests start to find this pool backed up with every spill budget spent, so that its
 * alert to the manager does not wait for the next sample (up to a sample interval after a step). At most one push
 * per {@link #MIN_GAP_MILLIS}: a sustained overload costs two pushes a second, whatever the request rate.
 *
 * <p>Called on the request thread of every request over budget: one clock read and one volatile read while the gap
 * runs, one compare-and-set when it has run out; only the request that wins the compare-and-set sends.
 */
public final class OverBudgetPush {
    static final long MIN_GAP_MILLIS = 500;
    private static final Logger LOG = Logger.getLogger(OverBudgetPush.class.getName());
    private static final long MIN_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(MIN_GAP_MILLIS);

    /** Where a push goes: the MXBean's notification. */
    public interface Sink {
        /** @param overBudgetTotal the filter's over-budget count, this request included */
        void overBudget(long overBudgetTotal);
    }

    private static final Sink NONE = total -> { };

    private final LongSupplier nanoClock;
    /** The earliest {@code nanoClock} time of the next push. */
    private final AtomicLong nextPushNanos;
    private volatile Sink sink = NONE;

    public OverBudgetPush() {
        this(System::nanoTime);
    }

    OverBudgetPush(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.nextPushNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /** Sets where pushes go (the MXBean, once registered). */
    void sendTo(Sink s) {
        sink = s == null ? NONE : s;
    }

    /** A request found every budget spent; pushes unless one was pushed within the gap. */
    void overBudget(LongSupplier overBudgetTotal) {
        long now = nanoClock.getAsLong();
        long next = nextPushNanos.get();
        if (now - next < 0 || !nextPushNanos.compareAndSet(next, now + MIN_GAP_NANOS)) {
            return;
        }
        long total = overBudgetTotal.getAsLong();
        LOG.fine(() -> "over budget: a request found the pool backed up and every spill budget spent (count "
                + total + "); pushing to the agent");
        try {
            sink.overBudget(total);
        } catch (RuntimeException e) {
            // a listener's fault must not fail the request; the agent's next sample still sees the count
            LOG.fine(() -> "over-budget push failed: " + e);
        }
    }
}
