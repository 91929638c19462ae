package dev.spillway.manager.policy;

import dev.spillway.agent.contract.HostLoad;
import java.util.EnumMap;
import java.util.Map;

/**
 * The overload condition of one host: one {@link Hysteresis} per {@link Metric}; the host is overloaded while any
 * of them is on. Keeps the words for the log ("queue delay 240 ms > 200 ms for 3 s").
 */
public final class OverloadDetector {
    private final Thresholds thresholds;
    private final long intervalMillis;
    private final Map<Metric, Hysteresis> conditions = new EnumMap<>(Metric.class);
    private final Map<Metric, Double> lastValues = new EnumMap<>(Metric.class);

    public OverloadDetector(Thresholds thresholds, long intervalMillis) {
        this.thresholds = thresholds;
        this.intervalMillis = intervalMillis;
        for (Metric m : Metric.values()) {
            conditions.put(m, new Hysteresis(thresholds.enterAfter(), thresholds.leaveAfter(), thresholds.surge()));
        }
    }

    public boolean update(HostLoad load) {
        boolean any = false;
        for (Metric m : Metric.values()) {
            double v = m.of(load);
            lastValues.put(m, v);
            any |= conditions.get(m).update(v, m.high(thresholds), m.low(thresholds));
        }
        return any;
    }

    public boolean overloaded() {
        return conditions.values().stream().anyMatch(Hysteresis::isOn);
    }

    /** True when some metric of the last sample is above its high mark (the controller grows only then). */
    public boolean aboveHighNow() {
        for (Metric m : Metric.values()) {
            Double v = lastValues.get(m);
            if (v != null && v > m.high(thresholds)) {
                return true;
            }
        }
        return false;
    }

    /** Why the host is overloaded, in words; empty when it is not. */
    public String reason() {
        StringBuilder sb = new StringBuilder();
        for (Metric m : Metric.values()) {
            Hysteresis h = conditions.get(m);
            if (!h.isOn()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            double v = lastValues.getOrDefault(m, Double.NaN);
            double high = m.high(thresholds);
            sb.append(m.label()).append(' ').append(Double.isNaN(v) ? "unknown" : m.format(v));
            if (v > high) {
                sb.append(" > ").append(m.format(high)).append(" for ").append(seconds(h.runAbove()));
            } else {
                sb.append(", not yet below ").append(m.format(m.low(thresholds)));
            }
        }
        return sb.toString();
    }

    private String seconds(int samples) {
        long ms = samples * intervalMillis;
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }
}
