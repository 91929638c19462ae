package dev.spillway.agent.sampling;

/**
 * The figures an agent checks between full samples to notice early that the manager should decide now: the host's
 * queue length and queue delay (ms), as the filters report them, how many requests so far found the pool backed up
 * with no spill budget left (the filters' {@code SpillOverBudget}, an ever-growing count), and how many wait for a
 * worker now (the container's pool queue). NaN when nothing reported one.
 */
public record QueueFigures(double queueLength, double queueDelayMillis, double overBudgetTotal, double waiting) {
    public static final QueueFigures UNKNOWN = new QueueFigures(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Queue figures alone, with the over-budget count and the waiting requests unknown. */
    public QueueFigures(double queueLength, double queueDelayMillis) {
        this(queueLength, queueDelayMillis, Double.NaN, Double.NaN);
    }
}
