package dev.spillway.agent.sampling;

import java.util.Map;
import javax.management.ObjectName;

/**
 * What one filter MXBean reported in one sample; NaN / -1 for attributes it did not give.
 *
 * @param pool      the container's worker pool as this filter sees it (shared by every webapp of the JVM)
 * @param work      this webapp's counters for capacity: requests served here and the time they took
 * @param movedTo   requests moved so far, per peer id (ever-growing counters)
 * @param declined  chosen requests the forwarder declined so far, per reason (ever-growing counters)
 */
public record FilterFigures(ObjectName name, double queueLength, long queueLengthMax, String queueSource,
                            double queueDelayMillis, double queueDelayMaxMillis, long inFlight, long requests,
                            long errors, String directiveMode, Pool pool, Work work, Map<String, Long> movedTo,
                            Map<String, Long> declined) {

    /** Waiting requests, busy workers and the pool's maximum; -1 each when unknown. */
    public record Pool(long waiting, long busy, long max) {
        public static final Pool UNKNOWN = new Pool(-1, -1, -1);
    }

    /**
     * Ever-growing counters: served here, the microseconds they took, moved away, over budget, and requests that
     * arrived moved here by a peer (valid hop marker); -1 when unknown.
     */
    public record Work(long servedHere, long serviceMicros, long moved, long overBudget, long movedIn) {
        public static final Work UNKNOWN = new Work(-1, -1, -1, -1, -1);

        /** From a filter that does not count its moved-in requests. */
        public Work(long servedHere, long serviceMicros, long moved, long overBudget) {
            this(servedHere, serviceMicros, moved, overBudget, -1);
        }
    }

    /** Only the queue figures, the waiting requests and the over-budget count (the quick check between samples). */
    public static FilterFigures queueOnly(ObjectName name, double queueLength, String queueSource,
                                          double queueDelayMillis, long waiting, long overBudget) {
        return new FilterFigures(name, queueLength, -1, queueSource, queueDelayMillis, Double.NaN, -1, -1, -1, "",
                new Pool(waiting, -1, -1), new Work(-1, -1, -1, overBudget), Map.of(), Map.of());
    }

    /** A queue figure read from the container's pool is shared by all its webapps and must not be added up. */
    public boolean queueIsContainerWide() {
        return queueSource != null && !queueSource.isEmpty() && !queueSource.equals("in-flight");
    }
}
