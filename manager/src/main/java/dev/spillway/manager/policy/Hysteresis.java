package dev.spillway.manager.policy;

/**
 * One condition with two marks: it turns on after {@code enterAfter} consecutive samples above the high mark and
 * off after {@code leaveAfter} consecutive samples below the low mark. A sample between the marks (or an unknown
 * one) keeps the current state and breaks both runs, so a series wobbling around one mark never toggles it.
 * A sample at {@code surge} times the high mark or more turns it on at once: waiting for confirmation guards against
 * noise near the mark, and a value that far above it is not noise.
 */
public final class Hysteresis {
    private final int enterAfter;
    private final int leaveAfter;
    private final double surge;
    private boolean on;
    private int runAbove;
    private int runBelow;

    /** @param surge multiple of the high mark that turns the condition on at once; 0: never at once */
    public Hysteresis(int enterAfter, int leaveAfter, double surge) {
        if (enterAfter < 1 || leaveAfter < 1) {
            throw new IllegalArgumentException("enterAfter and leaveAfter must be >= 1");
        }
        if (!(surge == 0 || surge >= 1)) {
            throw new IllegalArgumentException("surge must be 0 (off) or >= 1");
        }
        this.enterAfter = enterAfter;
        this.leaveAfter = leaveAfter;
        this.surge = surge;
    }

    /**
     * Feeds one sample. {@code high} and {@code low} are the marks ({@code low <= high}); NaN means "no
     * information" and changes nothing but the runs.
     */
    public boolean update(double value, double high, double low) {
        if (Double.isNaN(value)) {
            runAbove = 0;
            runBelow = 0;
        } else if (value > high) {
            runAbove++;
            runBelow = 0;
            if (!on && (runAbove >= enterAfter || (surge > 0 && value >= surge * high))) {
                on = true;
            }
        } else if (value < low) {
            runBelow++;
            runAbove = 0;
            if (on && runBelow >= leaveAfter) {
                on = false;
            }
        } else {
            runAbove = 0;
            runBelow = 0;
        }
        return on;
    }

    public boolean isOn() {
        return on;
    }

    /** Consecutive samples above the high mark so far (for reasons like "for 3 s"). */
    public int runAbove() {
        return runAbove;
    }
}
