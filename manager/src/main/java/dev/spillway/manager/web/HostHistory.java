package dev.spillway.manager.web;

import java.util.Map;

/**
 * One host's recent samples, oldest first: {@code times} in epoch milliseconds and, per series name, one value
 * per time (NaN where the figure was unknown in that cycle).
 */
public record HostHistory(long[] times, Map<String, double[]> series) {
}
