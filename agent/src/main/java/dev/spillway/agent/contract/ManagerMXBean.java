package dev.spillway.agent.contract;

/**
 * The manager, registered as {@code dev.spillway:type=Manager} in its own JVM and served on its JMX connector.
 * Agents call {@link #register} on start and then periodically, so a restarted manager rebuilds its host table.
 */
public interface ManagerMXBean {

    /**
     * Announces (or re-announces) a host. Idempotent.
     *
     * @return the interval, in ms, at which the agent should re-announce itself
     */
    long register(String hostId, String agentJmxUrl, String zone, String webBaseUrl);

    /** Forgets a host that registered itself (configured hosts stay). */
    void deregister(String hostId);

    String[] getHostIds();

    int getHostCount();

    int getOverloadedCount();

    int getFailedCount();

    long getPollIntervalMillis();

    /** Poll-and-decide cycles completed. */
    long getCycles();

    /** Duration of the last poll-and-decide cycle, ms. */
    long getLastCycleMillis();

    /** Moves everything eligible away from the host and leaves it out of target lists. */
    void drain(String hostId);

    /** Undoes {@link #drain}. */
    void enable(String hostId);
}
