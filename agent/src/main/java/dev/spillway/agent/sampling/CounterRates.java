package dev.spillway.agent.sampling;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns ever-growing counters (requests, errors per filter) into per-second rates over the last interval. A counter
 * seen for the first time has no rate yet; a counter that went down was restarted (redeploy) and counts from 0.
 */
public final class CounterRates {
    private Map<Object, Long> previous = new HashMap<>();
    private Map<Object, Long> current = new HashMap<>();
    private long previousMillis = -1;
    private long delta;
    private boolean anyKnown;

    /** Starts a sample. */
    public void begin() {
        delta = 0;
        anyKnown = false;
    }

    public void add(Object key, long value) {
        if (value < 0) {
            return;
        }
        current.put(key, value);
        Long before = previous.get(key);
        if (before != null) {
            delta += value >= before ? value - before : value;
            anyKnown = true;
        }
    }

    /** Ends the sample and returns the rate per second, NaN when no counter was seen twice. */
    public double end(long nowMillis) {
        double rate = Double.NaN;
        if (anyKnown && previousMillis >= 0 && nowMillis > previousMillis) {
            rate = delta * 1000.0 / (nowMillis - previousMillis);
        }
        Map<Object, Long> swap = previous;
        previous = current;
        current = swap;
        current.clear();
        previousMillis = nowMillis;
        return rate;
    }
}
