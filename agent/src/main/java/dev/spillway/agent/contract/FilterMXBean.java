package dev.spillway.agent.contract;

/**
 * One webapp's Spillway filter, registered as {@code dev.spillway:type=Filter,context=<ctx>} (see
 * {@link ObjectNames#filter(String)}). Counts and load figures are read-only; the only writes are the two
 * directive operations, which the agent relays from the manager (or an operator calls from JConsole).
 */
public interface FilterMXBean {

    /**
     * Type of the JMX notification a filter MXBean emits when a request finds this server's pool backed up under a
     * permit and every target's budget spent, at most once per half second: the agent alerts the manager on it
     * instead of waiting for its next sample. Its time stamp is that request's, in epoch milliseconds; its user
     * data the filter's {@link #getSpillOverBudget()} count then (a {@code Long}).
     */
    String OVER_BUDGET_NOTIFICATION = "dev.spillway.filter.overBudget";

    /** The webapp's context path, "" for the root webapp. */
    String getContextPath();

    /**
     * Requests now accepted by the container and waiting for or holding a worker thread (waiting + busy workers;
     * see {@link #getWaitingRequests()} and {@link #getBusyWorkers()} for the two apart).
     */
    int getQueueLength();

    /** Requests (jobs) waiting for a worker thread of the container's pool now; -1 if the pool is not reachable. */
    default int getWaitingRequests() {
        return -1;
    }

    /** Worker threads of the container's pool running a job now; -1 if unknown. */
    default int getBusyWorkers() {
        return -1;
    }

    /** The most worker threads the container's pool may run requests on; -1 if unknown. */
    default int getMaxWorkers() {
        return -1;
    }

    /** Requests served here (not moved) and finished, since start: with {@link #getServiceMicrosTotal()}, the
     * mean time a request holds a worker. */
    default long getServedHere() {
        return -1;
    }

    /** Microseconds spent serving the {@link #getServedHere()} requests, from filter entry to response end. */
    default long getServiceMicrosTotal() {
        return -1;
    }

    /** Smoothed queue length (exponentially weighted). */
    double getQueueLengthAverage();

    /** Highest queue length seen in the recent window. */
    int getQueueLengthMax();

    /** Where the queue length comes from: e.g. "jetty-thread-pool", "tomcat-executor", "in-flight". */
    String getQueueSource();

    /** Smoothed time from the request's arrival at the connector to the filter, ms. */
    long getQueueDelayMillis();

    /** Highest queue delay seen in the recent window, ms. */
    long getQueueDelayMaxMillis();

    /** Where the queue delay comes from: e.g. "jetty-request-timestamp", "tomcat-start-time", "x-request-start", "none". */
    String getQueueDelaySource();

    /** Requests now inside this filter. */
    int getInFlight();

    /** Requests seen since start. */
    long getRequests();

    /**
     * Of {@link #getRequests()}, those that arrived with a valid hop marker: moved here by a peer (redirected or
     * proxied), counted when they are; -1 from a filter that predates it.
     */
    default long getMovedInRequests() {
        return -1;
    }

    /** Responses with status 500 or above served here since start. */
    long getErrors();

    /** Requests that passed the page rules (could have been moved). */
    long getEligible();

    /** Eligible requests the directive chose to move. */
    long getChosen();

    /** Requests actually moved to a peer. */
    long getOffloaded();

    /** Moved requests that failed after a byte went upstream. */
    long getOffloadFailures();

    /** Chosen requests served locally because no peer could take them. */
    long getFellBack();

    /**
     * Chosen requests that the forwarder declined and that were served here, by reason since start:
     * {@code response-committed} (another filter had written the response), {@code no-async-support} (proxy mode
     * needs it), {@code unsendable-request} (the HTTP client refused the method or URI), {@code no-proxy-client}
     * (the proxy's client could not start), {@code relays-full} (proxy mode: the peer already had
     * {@code proxyMaxRelays} relays in flight). Every reason is listed, 0 included.
     */
    default java.util.Map<String, Long> getDeclined() {
        return java.util.Map.of();
    }

    /**
     * Requests that could have been moved but that the webapp's {@code localAnswer} said this server answers itself
     * (a cache hit), so they were served here; -1 from a filter that predates it.
     */
    default long getAnsweredLocally() {
        return -1;
    }

    /** Requests the filter's built-in page cache answered ({@code pageCacheKb}); -1 from a filter without one. */
    default long getPageCacheHits() {
        return -1;
    }

    /** Eligible requests a permit spilled (this server's pool was backed up and a target had budget left). */
    default long getSpilled() {
        return -1;
    }

    /** Requests that found this server's pool backed up under a permit but were served here: no target had budget
     * left (or every target was suspect). */
    default long getSpillOverBudget() {
        return -1;
    }

    /** LOCAL, REDIRECT or PROXY: what the filter does now (LOCAL once a lease has run out). */
    String getDirectiveMode();

    /** Ordered targets of the current directive (empty when LOCAL). */
    String[] getDirectiveTargets();

    /** Fraction of eligible requests the current directive moves, 0..1. */
    double getDirectiveFraction();

    /** Per-target budgets of the current permit, requests/s, in the order of the targets; empty for a fraction
     * directive or LOCAL. */
    default double[] getPermitBudgets() {
        return new double[0];
    }

    /** Milliseconds left on the current lease; 0 when LOCAL. */
    long getDirectiveLeaseRemainingMillis();

    /**
     * The last load each origin reported in the signed hop markers of requests it moved here, one line per origin:
     * {@code <id> waiting=<n> busy=<n> max=<n> at=<epochMillis> proxied|redirected} (-1: the origin did not know).
     */
    default String[] getOriginLoads() {
        return new String[0];
    }

    /** Configured peers, as {@code id=baseUrl}. */
    String[] getPeers();

    /** Per-peer forwarding counters. */
    PeerStats[] getPeerStats();

    /**
     * Sets the directive. Every target must be a configured peer (by id or base URL); otherwise nothing changes
     * and an {@code IllegalArgumentException} names the unknown target.
     */
    void applyDirective(String mode, String[] targets, double fraction, long leaseMillis);

    /**
     * Sets a permit: while this server's worker pool is backed up, an eligible request spills to a target, never
     * more than {@code budgetsPerSecond[i]} requests per second to {@code targets[i]}. Replaces any directive.
     * Every target must be a configured peer; otherwise nothing changes and an {@code IllegalArgumentException}
     * names the unknown target.
     */
    default void applyPermit(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis) {
        throw new UnsupportedOperationException("this filter takes no permits");
    }

    /** Back to LOCAL at once. */
    void clearDirective();

    /**
     * {@link #applyDirective} from an elected leader in term {@code epoch}: applied only if no newer leader has been
     * heard (see {@link EpochFence}); an older one is ignored and counted in {@link #getStaleDirectivesIgnored()}.
     *
     * @return true if applied, false if ignored as stale
     */
    default boolean applyDirectiveAtEpoch(String mode, String[] targets, double fraction, long leaseMillis,
                                          long epoch) {
        throw new UnsupportedOperationException("this filter does not check leader epochs");
    }

    /** {@link #applyPermit} from an elected leader in term {@code epoch}; see {@link #applyDirectiveAtEpoch}. */
    default boolean applyPermitAtEpoch(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis,
                                       long epoch) {
        throw new UnsupportedOperationException("this filter does not check leader epochs");
    }

    /** {@link #clearDirective} from an elected leader in term {@code epoch}; see {@link #applyDirectiveAtEpoch}. */
    default boolean clearDirectiveAtEpoch(long epoch) {
        throw new UnsupportedOperationException("this filter does not check leader epochs");
    }

    /** The newest leader epoch this filter accepted (0: none, only unfenced directives so far). */
    default long getDirectiveEpoch() {
        return 0;
    }

    /** Directives, permits and clears ignored because a newer leader had already been heard. */
    default long getStaleDirectivesIgnored() {
        return 0;
    }
}
