package dev.spillway.agent.sampling;

/**
 * The two figures an agent checks between full samples to notice a surge early: the host's queue length and
 * queue delay (ms), as the filters report them. NaN when nothing reported one.
 */
public record QueueFigures(double queueLength, double queueDelayMillis) {
    public static final QueueFigures UNKNOWN = new QueueFigures(Double.NaN, Double.NaN);
}
