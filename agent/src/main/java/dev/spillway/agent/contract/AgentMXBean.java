package dev.spillway.agent.contract;

/**
 * A host's agent, registered as {@code dev.spillway:type=Agent} and served on a JMX connector at
 * {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi}. The manager polls {@link #getHostLoad()} and calls the
 * directive operations; the agent relays those to the filters it watches.
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
}
