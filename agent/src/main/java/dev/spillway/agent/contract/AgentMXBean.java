package dev.spillway.agent.contract;

/**
 * A host's agent, registered as {@code dev.spillway:type=Agent} and served on a JMX connector at
 * {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi}. The manager polls {@link #getLoadReport()} (or
 * {@link #getHostLoad()} from an agent older than it) and calls the directive operations; the agent relays those to
 * the filters it watches.
 */
public interface AgentMXBean {

    String getHostId();

    String getZone();

    /** Where this host's webapp is reached by peers and clients. */
    String getWebBaseUrl();

    /** The JMX service URL this agent is served at. */
    String getJmxServiceUrl();

    /** The latest snapshot (taken every sample interval). */
    HostLoad getHostLoad();

    /**
     * The latest snapshot packed as values only ({@link LoadReport}; the attribute the manager polls): the same
     * figures as {@link #getHostLoad()}, without the type description a {@code CompositeData} carries in every
     * answer. Null while there is no snapshot.
     */
    default byte[] getLoadReport() {
        HostLoad load = getHostLoad();
        return load == null ? null : LoadReport.encode(load);
    }

    long getSampleIntervalMillis();

    /** Snapshots taken since start. */
    long getSamples();

    /** Filter MXBeans read in the last sample. */
    int getWatchedFilters();

    /**
     * The marks at which the agent alerts the manager between polls, as the manager gave them at registration, e.g.
     * "queue length 100, queue delay 400 ms"; "off" before registration or when the manager wants no alerts.
     */
    String getSurgeMarks();

    /** Surge alerts the manager accepted since start. */
    long getSurgeAlerts();

    /** Quick checks of the queue figures run between samples since start (they run only while armed). */
    default long getSurgeChecks() {
        return 0;
    }

    /** "registered", "disabled" (no manager configured), or "retrying: <last error>". */
    String getManagerStatus();

    /** Relays the directive to every watched filter; see {@link FilterMXBean#applyDirective}. */
    void applyDirective(String mode, String[] targets, double fraction, long leaseMillis);

    /** Relays the permit to every watched filter; see {@link FilterMXBean#applyPermit}. */
    default void applyPermit(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis) {
        throw new UnsupportedOperationException("this agent relays no permits");
    }

    /** Relays {@link FilterMXBean#clearDirective()} to every watched filter. */
    void clearDirective();

    /**
     * From an elected leader in term {@code epoch}: ignored (and counted) when a newer leader has been heard, else
     * relayed to every watched filter with the epoch, so each filter fences too. See {@link EpochFence}.
     *
     * @return true if relayed, false if ignored as stale
     */
    default boolean applyDirectiveAtEpoch(String mode, String[] targets, double fraction, long leaseMillis,
                                          long epoch) {
        throw new UnsupportedOperationException("this agent does not check leader epochs");
    }

    /** {@link #applyPermit} from an elected leader; see {@link #applyDirectiveAtEpoch}. */
    default boolean applyPermitAtEpoch(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis,
                                       long epoch) {
        throw new UnsupportedOperationException("this agent does not check leader epochs");
    }

    /** {@link #clearDirective} from an elected leader; see {@link #applyDirectiveAtEpoch}. */
    default boolean clearDirectiveAtEpoch(long epoch) {
        throw new UnsupportedOperationException("this agent does not check leader epochs");
    }

    /** The newest leader epoch this agent accepted (0: none yet). */
    default long getDirectiveEpoch() {
        return 0;
    }

    /** Directives, permits and clears this agent ignored because a newer leader had already been heard. */
    default long getStaleDirectivesIgnored() {
        return 0;
    }
}
