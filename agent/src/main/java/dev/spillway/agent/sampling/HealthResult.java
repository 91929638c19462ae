package dev.spillway.agent.sampling;

/** The latest answer of a health URL. Before the first probe completes the host counts as up, status -1. */
public record HealthResult(boolean up, int status, double responseMillis, double baselineMillis) {
    public static final HealthResult NOT_PROBED = new HealthResult(true, -1, Double.NaN, Double.NaN);
}
