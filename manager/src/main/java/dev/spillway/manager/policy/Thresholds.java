package dev.spillway.manager.policy;

/**
 * High and low marks per metric. A host becomes overloaded when any metric stays above its high mark for
 * {@code enterAfter} samples (or for one sample at {@code surge} times the mark) and stops being overloaded when every metric that was high stays below its low mark
 * for {@code leaveAfter} samples. The high marks are also the scale of the stress factor (1.0 = at the high mark).
 *
 * <p>Defaults (see {@link #DEFAULTS}): queue length 50/20, queue delay 200/100 ms, CPU 0.85/0.70, memory
 * 0.90/0.80, response time 3.0x/2.0x the unloaded baseline, enter after 3 samples or at once at 2x a high mark, leave after 5.
 */
public record Thresholds(double queueLengthHigh, double queueLengthLow,
                         double queueDelayHighMs, double queueDelayLowMs,
                         double cpuHigh, double cpuLow,
                         double memoryHigh, double memoryLow,
                         double responseRatioHigh, double responseRatioLow,
                         int enterAfter, int leaveAfter, double surge) {

    public static final Thresholds DEFAULTS =
            new Thresholds(50, 20, 200, 100, 0.85, 0.70, 0.90, 0.80, 3.0, 2.0, 3, 5, 2.0);

    public Thresholds {
        pair("queueLength", queueLengthHigh, queueLengthLow);
        pair("queueDelay", queueDelayHighMs, queueDelayLowMs);
        pair("cpu", cpuHigh, cpuLow);
        pair("memory", memoryHigh, memoryLow);
        pair("responseRatio", responseRatioHigh, responseRatioLow);
        if (responseRatioHigh <= 1.0) {
            throw new IllegalArgumentException("responseRatio high mark must be > 1 (it is a multiple of the baseline)");
        }
        if (enterAfter < 1 || leaveAfter < 1) {
            throw new IllegalArgumentException("enterAfter and leaveAfter must be >= 1");
        }
        if (!(surge == 0 || surge >= 1)) {
            throw new IllegalArgumentException("surge must be 0 (off) or >= 1");
        }
    }

    private static void pair(String name, double high, double low) {
        if (!(high > 0) || !(low >= 0) || low > high) {
            throw new IllegalArgumentException(name + ": expected 0 <= low <= high and high > 0, got low=" + low
                    + " high=" + high);
        }
    }
}
