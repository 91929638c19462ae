package dev.spillway.agent.core;

import dev.spillway.agent.sampling.QueueFigures;

/**
 * Decides when a quick check of the queue figures should alert the manager: when a figure rises to the manager's
 * surge mark from below it (an edge, not every check while it stays there), and at most once per
 * {@link #MIN_GAP_MILLIS}, so a figure wobbling around the mark sends one alert, not one per check. The marks come
 * from the manager at registration; until then, or when it sends 0, nothing alerts. Called from one thread.
 *
 * <p>Quick checks between samples cost about as much as a sample does (a timer wakeup alone is ~0.2 ms of CPU on
 * a virtual machine), so they run only while {@link #armed}: while a figure is at {@link #ARM_FRACTION} of its mark
 * or more. A quiet host pays nothing; a host stepping into overload passes a quarter of the mark well before the
 * mark, and a sample that already reaches the mark alerts by itself.
 */
final class SurgeWatch {
    static final long MIN_GAP_MILLIS = 1_000;
    static final double ARM_FRACTION = 0.25;

    /** Marks at which to alert; 0 or less: that figure never alerts. */
    record Marks(double queueLength, double queueDelayMillis) {
        static final Marks OFF = new Marks(0, 0);

        boolean off() {
            return !(queueLength > 0) && !(queueDelayMillis > 0);
        }

        @Override
        public String toString() {
            if (off()) {
                return "off";
            }
            StringBuilder sb = new StringBuilder();
            if (queueLength > 0) {
                sb.append("queue length ").append(Math.round(queueLength));
            }
            if (queueDelayMillis > 0) {
                sb.append(sb.length() > 0 ? ", " : "").append("queue delay ").append(Math.round(queueDelayMillis))
                        .append(" ms");
            }
            return sb.toString();
        }
    }

    private volatile Marks marks = Marks.OFF;
    private volatile long alerts;
    private volatile boolean armed;
    private boolean atMark;
    private long lastAlertMillis = Long.MIN_VALUE / 2;

    void marks(Marks m) {
        Marks next = m == null ? Marks.OFF : m;
        if (marks.off() && !next.off()) {
            armed = true; // figures seen before the marks came were not judged: let the next sample decide
        }
        marks = next;
    }

    /** Whether quick checks should run: the last figures were at a quarter of a mark, or marks just arrived. */
    boolean armed() {
        return armed && !marks.off();
    }

    Marks marks() {
        return marks;
    }

    long alerts() {
        return alerts;
    }

    boolean enabled() {
        return !marks.off();
    }

    /** Whether these figures are high enough for quick checks to follow them until the next sample. */
    boolean arms(QueueFigures f) {
        Marks m = marks;
        return reaches(f.queueLength(), m.queueLength() * ARM_FRACTION)
                || reaches(f.queueDelayMillis(), m.queueDelayMillis() * ARM_FRACTION);
    }

    /** Judges a sample's or a quick check's figures: arms or disarms, and says whether to alert the manager now. */
    boolean shouldAlert(QueueFigures f, long nowMillis) {
        armed = arms(f);
        Marks m = marks;
        boolean reached = reaches(f.queueLength(), m.queueLength()) || reaches(f.queueDelayMillis(), m.queueDelayMillis());
        boolean rising = reached && !atMark;
        atMark = reached;
        if (rising && nowMillis - lastAlertMillis >= MIN_GAP_MILLIS) {
            lastAlertMillis = nowMillis;
            alerts++;
            return true;
        }
        return false;
    }

    private static boolean reaches(double value, double mark) {
        return mark > 0 && !Double.isNaN(value) && value >= mark;
    }
}
