package dev.spillway.manager.policy;

import dev.spillway.agent.contract.HostLoad;

/**
 * A host's stress factor: one number, 0 = idle, 1.0 = its tightest resource sits at its high mark.
 *
 * <pre>
 *   c_m    = min(2, value_m / high_m)            for m in queue length, queue delay, CPU, memory
 *   c_rt   = min(2, max(0, (rt / rt0 - 1) / (R - 1)))   rt = health response time, rt0 = unloaded baseline,
 *                                                       R = response-ratio high mark (default 3)
 *   s_now  = max of the known c's                 (unknown figures are left out, never read as 0)
 *   stress = sum_{i=0..n-1} s_i / 2^i  /  sum_{i=0..n-1} 1 / 2^i     s_0 = this sample, n <= 10
 * </pre>
 *
 * The maximum, not a weighted mean, because one saturated resource (a full queue on an idle CPU) is enough to
 * make a host slow. The history is mod_cluster's (9 past samples, decay factor 2): the newest sample weighs half
 * of the total, so one spike moves stress by half and a lasting change shows within three or four intervals.
 * Each component is capped at 2 so one absurd reading cannot dominate the history. A sample with no known figure
 * adds nothing; a host with no history has stress NaN (unknown, and therefore never picked as a target).
 */
public final class StressFactor {
    public static final int HISTORY = 9;
    public static final double DECAY = 2.0;
    static final double CAP = 2.0;

    private final Thresholds thresholds;
    private final double[] samples = new double[HISTORY + 1];
    private int count;
    private int newest = -1;

    public StressFactor(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** The undecayed stress of one sample: the largest known normalized component, NaN if none is known. */
    public static double instant(HostLoad load, Thresholds t) {
        double s = Double.NaN;
        for (Metric m : Metric.values()) {
            double c = component(m, m.of(load), t);
            if (!Double.isNaN(c)) {
                s = Double.isNaN(s) ? c : Math.max(s, c);
            }
        }
        return s;
    }

    static double component(Metric m, double value, Thresholds t) {
        if (Double.isNaN(value)) {
            return Double.NaN;
        }
        double c = m == Metric.RESPONSE_RATIO
                ? (value - 1.0) / (t.responseRatioHigh() - 1.0)
                : value / m.high(t);
        return Math.min(CAP, Math.max(0.0, c));
    }

    /** Adds a sample and returns the decayed stress. */
    public double update(HostLoad load) {
        double s = instant(load, thresholds);
        if (!Double.isNaN(s)) {
            newest = (newest + 1) % samples.length;
            samples[newest] = s;
            count = Math.min(count + 1, samples.length);
        }
        return value();
    }

    /** The decayed stress over the kept history; NaN before the first known sample. */
    public double value() {
        if (count == 0) {
            return Double.NaN;
        }
        double sum = 0;
        double weights = 0;
        double w = 1.0;
        for (int i = 0; i < count; i++) {
            sum += samples[Math.floorMod(newest - i, samples.length)] * w;
            weights += w;
            w /= DECAY;
        }
        return sum / weights;
    }
}
