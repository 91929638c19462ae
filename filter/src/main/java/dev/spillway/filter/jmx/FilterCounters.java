package dev.spillway.filter.jmx;

import dev.spillway.filter.forward.ForwardResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the filter has done since start, for its MXBean. LongAdders, because every request thread bumps them and
 * readers (JMX, a few times a second) can afford the sum.
 */
public final class FilterCounters {
    private final LongAdder requests = new LongAdder();
    /**
     * Requests that arrived with a valid hop marker (moved here by a peer), counted where {@link #countRequest()} is:
     * the manager takes them from this host's request rate in the same window to find its own load.
     */
    private final LongAdder movedIn = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder eligible = new LongAdder();
    private final LongAdder chosen = new LongAdder();
    /** Chosen, but served here: no target was available (per-peer fallbacks are counted by the forwarders). */
    private final LongAdder fellBack = new LongAdder();
    /** Eligible requests a permit sent to a target (the pool was backed up and a budget had room). */
    private final LongAdder spilled = new LongAdder();
    /** Eligible requests that found the pool backed up under a permit but every target's budget spent. */
    private final LongAdder overBudget = new LongAdder();
    private final java.util.function.LongSupplier overBudgetTotal = overBudget::sum;
    /** Tells the agent when requests start to find every budget spent (the MXBean's notification). */
    private final OverBudgetPush overBudgetPush = new OverBudgetPush();
    /** Requests that could have moved but that the webapp's LocalAnswer said it answers here (cache hits). */
    private final LongAdder answeredLocally = new LongAdder();
    /** Requests the built-in page cache answered (pageCacheKb). */
    private final LongAdder pageCacheHits = new LongAdder();
    /** Requests served here (not moved) and finished, and the microseconds they held a worker: the service time. */
    private final LongAdder servedHere = new LongAdder();
    private final LongAdder serviceMicros = new LongAdder();
    /** Chosen requests a forwarder declined, by {@link ForwardResult} ordinal (TAKEN's slot stays 0). */
    private final LongAdder[] declined = new LongAdder[ForwardResult.values().length];

    public FilterCounters() {
        for (int i = 0; i < declined.length; i++) {
            declined[i] = new LongAdder();
        }
    }

    /** A forwarder declined a chosen request; it is served here. */
    public void declined(ForwardResult why) {
        declined[why.ordinal()].increment();
    }

    /** Declines so far by reason, every reason listed (0 included), in a stable order. */
    public Map<String, Long> declinedByReason() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ForwardResult r : ForwardResult.values()) {
            if (!r.taken()) {
                out.put(r.reason(), declined[r.ordinal()].sum());
            }
        }
        return out;
    }

    public void countRequest() {
        requests.increment();
    }

    /** A request just counted by {@link #countRequest()} carried a valid hop marker. */
    public void countMovedIn() {
        movedIn.increment();
    }

    public long movedIn() {
        return movedIn.sum();
    }

    public void countError() {
        errors.increment();
    }

    public void countEligible() {
        eligible.increment();
    }

    public void countChosen() {
        chosen.increment();
    }

    public void countFellBack() {
        fellBack.increment();
    }

    public void countSpilled() {
        spilled.increment();
    }

    public void countOverBudget() {
        overBudget.increment();
        overBudgetPush.overBudget(overBudgetTotal);
    }

    OverBudgetPush overBudgetPush() {
        return overBudgetPush;
    }

    public void countAnsweredLocally() {
        answeredLocally.increment();
    }

    public void countPageCacheHit() {
        pageCacheHits.increment();
    }

    public long pageCacheHits() {
        return pageCacheHits.sum();
    }

    public long answeredLocally() {
        return answeredLocally.sum();
    }

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

    public long spilled() {
        return spilled.sum();
    }

    public long overBudget() {
        return overBudget.sum();
    }

    public long servedHere() {
        return servedHere.sum();
    }

    public long serviceMicros() {
        return serviceMicros.sum();
    }

    /** One request served here has finished after {@code nanos}. */
    public void servedHere(long nanos) {
        servedHere.increment();
        serviceMicros.add(Math.max(0, nanos / 1_000));
    }
}
