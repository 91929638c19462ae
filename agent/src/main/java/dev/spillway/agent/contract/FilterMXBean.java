package dev.spillway.agent.contract;

/**
 * One webapp's Spillway filter, registered as {@code dev.spillway:type=Filter,context=<ctx>} (see
 * {@link ObjectNames#filter(String)}). Counts and load figures are read-only; the only writes are the two
 * directive operations, which the agent relays from the manager (or an operator calls from JConsole).
 */
public interface FilterMXBean {

    /** The webapp's context path, "" for the root webapp. */
    String getContextPath();

    /** Requests now accepted by the container and waiting for or holding a worker thread. */
    int getQueueLength();

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

    /** LOCAL, REDIRECT or PROXY: what the filter does now (LOCAL once a lease has run out). */
    String getDirectiveMode();

    /** Ordered targets of the current directive (empty when LOCAL). */
    String[] getDirectiveTargets();

    /** Fraction of eligible requests the current directive moves, 0..1. */
    double getDirectiveFraction();

    /** Milliseconds left on the current lease; 0 when LOCAL. */
    long getDirectiveLeaseRemainingMillis();

    /** Configured peers, as {@code id=baseUrl}. */
    String[] getPeers();

    /** Per-peer forwarding counters. */
    PeerStats[] getPeerStats();

    /**
     * Sets the directive. Every target must be a configured peer (by id or base URL); otherwise nothing changes
     * and an {@code IllegalArgumentException} names the unknown target.
     */
    void applyDirective(String mode, String[] targets, double fraction, long leaseMillis);

    /** Back to LOCAL at once. */
    void clearDirective();
}
