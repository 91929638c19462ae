package dev.spillway.manager.policy;

/**
 * High and low marks per metric. A host becomes overloaded when any metric stays above its high mark for
 * {@code enterAfter} samples (or for one sample at {@code surge} times the mark) and stops being overloaded when
 * every metric that was high stays below its low mark for {@code leaveAfter} samples. The high marks are also the
 * scale of the stress factor (1.0 = at the high mark).
 *
 * <p>Read from the {@code threshold.*} and {@code hysteresis.*} settings by {@link ThresholdSettings}, which also
 * holds the defaults ({@link #DEFAULTS}): queue length 50/20, queue delay 200/100 ms, CPU 0.85/0.70, memory
 * 0.90/0.80, response time 3.0x/2.0x the unloaded baseline, enter after 3 samples or at once at 2x a high mark,
 * leave after 5.
 */
public record Thresholds(Marks queueLength, Marks queueDelayMs, Marks cpu, Marks memory, Marks responseRatio,
                         int enterAfter, int leaveAfter, double surge) {

    public static final Thresholds DEFAULTS = ThresholdSettings.defaults();

    /** One metric's marks: above {@code high} counts toward overload, below {@code low} toward its end. */
    public record Marks(double high, double low) {
        public Marks {
            if (!(high > 0) || !(low >= 0) || low > high) {
                throw new IllegalArgumentException("expected 0 <= low <= high and high > 0, got low=" + low
                        + " high=" + high);
            }
        }
    }

    public Thresholds {
        if (responseRatio.high() <= 1.0) {
            throw new IllegalArgumentException("responseRatio high mark must be > 1 (it is a multiple of the baseline)");
        }
        if (enterAfter < 1 || leaveAfter < 1) {
            throw new IllegalArgumentException("enterAfter and leaveAfter must be >= 1");
        }
        if (!(surge == 0 || surge >= 1)) {
            throw new IllegalArgumentException("surge must be 0 (off) or >= 1");
        }
    }

    public double queueLengthHigh() {
        return queueLength.high();
    }

    public double queueLengthLow() {
        return queueLength.low();
    }

    public double queueDelayHighMs() {
        return queueDelayMs.high();
    }

    public double queueDelayLowMs() {
        return queueDelayMs.low();
    }

    public double cpuHigh() {
        return cpu.high();
    }

    public double cpuLow() {
        return cpu.low();
    }

    public double memoryHigh() {
        return memory.high();
    }

    public double memoryLow() {
        return memory.low();
    }

    public double responseRatioHigh() {
        return responseRatio.high();
    }

    public double responseRatioLow() {
        return responseRatio.low();
    }
}
