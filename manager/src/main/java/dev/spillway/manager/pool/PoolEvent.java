package dev.spillway.manager.pool;

/**
 * One change of the spare pool, as the data stream ({@code /api/stream}, event {@code pool}) tells it.
 *
 * @param seq        numbers the events of this manager's pool from 1, without gaps, so a reader knows what it missed
 * @param timeMillis when it happened (epoch ms)
 * @param event      what happened, one of {@link #KINDS}
 * @param host       the host it happened to
 * @param detail     why, in words (figures, the hook's failure, the attempt)
 */
public record PoolEvent(long seq, long timeMillis, String event, String host, String detail) {
    /** A spare was chosen: a warm one becomes a member at once, a cold one's allocation hook is asked to start it. */
    public static final String ALLOCATE_STARTED = "allocate-started";
    /** The host is a member and a target from this cycle on. */
    public static final String ALLOCATE_DONE = "allocate-done";
    /** An allocated host gets no budget any more; it goes back once nothing moved to it is in flight. */
    public static final String RELEASE_STARTED = "release-started";
    /** The host is back in the pool (file written, release hook started). */
    public static final String RELEASE_DONE = "release-done";
    /** One run of a hook failed (it is retried until its attempts are used up). */
    public static final String HOOK_FAILED = "hook-failed";
    /** A cold spare did not answer, healthy, within {@code pool.cold.wait}: the next one is tried. */
    public static final String COLD_PASSED_OVER = "cold-passed-over";

    public static final java.util.List<String> KINDS = java.util.List.of(ALLOCATE_STARTED, ALLOCATE_DONE,
            RELEASE_STARTED, RELEASE_DONE, HOOK_FAILED, COLD_PASSED_OVER);
}
