package dev.spillway.manager.route;

import java.util.HashMap;
import java.util.Map;

/**
 * How often each host came first in a recent name answer, decayed by {@code decay} once per control interval (the
 * same memory the policy gives moved requests). Counts are turned into a share so that the term stays the same size
 * at 10 or at 10,000 answers a second: see {@link #term}.
 */
public final class AnswerPicks {
    private final double decay;
    private final long intervalNanos;
    private final Map<String, Double> counts = new HashMap<>();
    private double total;
    private long lastDecayNanos = System.nanoTime();

    public AnswerPicks(double decay, long intervalMillis) {
        this.decay = decay;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    public synchronized void picked(String id) {
        decayIfDue();
        counts.merge(id, 1.0, Double::sum);
        total += 1;
    }

    /**
     * {@code spread × hosts × (host's share of recent first places)}: 0 before any answer, {@code spread} for every
     * host when answers were spread evenly, twice that for a host that came first twice as often as its share.
     */
    public synchronized double term(String id, int hosts, double spread) {
        decayIfDue();
        if (total <= 0) {
            return 0;
        }
        return spread * hosts * counts.getOrDefault(id, 0.0) / total;
    }

    /** {@link #term} for each of {@code ids}, under one lock (a name answer asks for all hosts at once). */
    public synchronized double[] terms(String[] ids, double spread) {
        decayIfDue();
        double[] out = new double[ids.length];
        if (total <= 0) {
            return out;
        }
        double f = spread * ids.length / total;
        for (int i = 0; i < ids.length; i++) {
            Double c = counts.get(ids[i]);
            out[i] = c == null ? 0 : f * c;
        }
        return out;
    }

    private void decayIfDue() {
        long now = System.nanoTime();
        long steps = (now - lastDecayNanos) / intervalNanos;
        if (steps <= 0) {
            return;
        }
        lastDecayNanos += steps * intervalNanos;
        double f = Math.pow(decay, Math.min(steps, 1000));
        total = 0;
        counts.replaceAll((k, v) -> v * f);
        counts.values().removeIf(v -> v < 1e-3);
        for (double v : counts.values()) {
            total += v;
        }
    }
}
