package dev.spillway.filter;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the filter has done since start, for its MXBean. LongAdders, because every request thread bumps them and
 * readers (JMX, a few times a second) can afford the sum.
 */
public final class FilterCounters {
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder eligible = new LongAdder();
    final LongAdder chosen = new LongAdder();
    /** Chosen, but served here: no target was available (per-peer fallbacks are counted by the forwarders). */
    final LongAdder fellBack = new LongAdder();

    public long requests() {
        return requests.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long eligible() {
        return eligible.sum();
    }

    public long chosen() {
        return chosen.sum();
    }

    public long fellBack() {
        return fellBack.sum();
    }
}
