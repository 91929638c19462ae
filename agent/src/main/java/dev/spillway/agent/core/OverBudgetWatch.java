package dev.spillway.agent.core;

import dev.spillway.agent.sampling.QueueFigures;

/**
 * Decides when the filters' spills over budget should bring the manager's next cycle forward: the permit's budgets
 * were sized for the load the last cycle saw, and a step beyond them is served here, queued, until the manager sizes
 * them again. Requests that found this pool backed up with every target's budget spent are the one sign of that
 * which needs no threshold, so the first of them after a quiet spell alerts the manager at once (an edge, at most
 * once per {@link #MIN_GAP_MILLIS}); while they keep coming the manager's regular cycles see them in the host's
 * {@code overBudgetRate}. Called from the sampler thread only.
 *
 * <p>Between samples the agent looks again only while {@link #armed}: while requests wait for a worker (the valve
 * spills only then, so only then can a spill find no budget) or spills over budget were just seen. A host with an
 * idle pool pays nothing.
 */
final class OverBudgetWatch {
    static final long MIN_GAP_MILLIS = 1_000;
    /** Requests waiting for a worker from which quick checks follow the over-budget count. */
    static final double ARM_WAITING = 1;

    private double lastTotal = Double.NaN;
    private boolean overBudget;
    private boolean armed;
    private long lastAlertMillis = Long.MIN_VALUE / 2;
    /** {@link #lastAlertMillis} before the alert now due, restored if its window does not confirm it. */
    private long alertBeforeDue = Long.MIN_VALUE / 2;
    private volatile long alerts;

    /** Whether quick checks should run for this watch. */
    boolean armed() {
        return armed;
    }

    /** Alerts sent: due ones that {@link #confirm} let through. */
    long alerts() {
        return alerts;
    }

    /**
     * An alert that fell due is sent with the sample of a short window taken after it (the manager re-plans from that
     * sample): only if requests still found no budget in that window. A window without any means the budgets caught
     * up meanwhile, and the sample's short-window figures then told the manager the host had no need — in the hotspot
     * benchmark one such early cycle took a hot host's budgets away for a second, and its queue took three to drain.
     *
     * @param overBudgetRate the window's over-budget rate, requests/s (NaN when no filter reported one)
     * @return whether to send the alert
     */
    boolean confirm(double overBudgetRate) {
        if (overBudgetRate > 0) {
            alerts++;
            return true;
        }
        // Nothing was sent, so the watch is quiet again and the attempt does not count against the gap: the count's
        // next rise is due at once. The window may just have fallen between arrivals (a few workers with pages longer
        // than the window free, and take requests, in bursts), and while requests kept finding no budget no edge came.
        overBudget = false;
        lastAlertMillis = alertBeforeDue;
        return false;
    }

    /**
     * Judges a full sample: its over-budget rate over the last interval (NaN when no filter reported one) and the
     * requests waiting for a worker (NaN when unknown: then the queue length, which counts busy workers too, so a
     * host whose container does not say arms whenever it serves anything).
     */
    boolean sampled(double overBudgetRate, double waiting, double queueLength, long nowMillis) {
        return judge(overBudgetRate > 0, Double.isNaN(waiting) ? queueLength : waiting, nowMillis);
    }

    /**
     * Judges a filter's push: a request just found the pool backed up and every budget spent. An edge like a quick
     * look that saw the count rise, without waiting for a look; arms the quick checks, which then follow the count.
     */
    boolean pushed(long nowMillis) {
        return judge(true, Double.NaN, nowMillis);
    }

    /** Judges a quick check: whether the ever-growing over-budget count rose since the last look. */
    boolean checked(QueueFigures f, long nowMillis) {
        double total = f.overBudgetTotal();
        boolean rose = !Double.isNaN(total) && !Double.isNaN(lastTotal) && total > lastTotal;
        if (!Double.isNaN(total)) {
            lastTotal = total;
        }
        return judge(rose, Double.isNaN(f.waiting()) ? f.queueLength() : f.waiting(), nowMillis);
    }

    private boolean judge(boolean spilledOverBudget, double waiting, long nowMillis) {
        boolean rising = spilledOverBudget && !overBudget;
        overBudget = spilledOverBudget;
        armed = spilledOverBudget || waiting >= ARM_WAITING;
        if (rising && nowMillis - lastAlertMillis >= MIN_GAP_MILLIS) {
            alertBeforeDue = lastAlertMillis;
            lastAlertMillis = nowMillis;
            return true;
        }
        return false;
    }
}
