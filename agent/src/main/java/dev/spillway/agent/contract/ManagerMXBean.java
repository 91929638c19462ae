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

    /**
     * Announces a host as a spare ({@code host.spare=true}): like {@link #register}, and the host is put in the
     * manager's spare pool, never a target until the manager allocates it. A registration can put a host in the
     * pool, never take it out: once there (allocated or not), re-announcing either way changes nothing.
     *
     * @throws UnsupportedOperationException from a manager without a spare pool
     */
    default long registerSpare(String hostId, String agentJmxUrl, String zone, String webBaseUrl) {
        throw new UnsupportedOperationException("this manager keeps no spare pool");
    }

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

    /**
     * Queue length at which an agent should {@link #alert} at once instead of waiting to be polled: the manager's
     * surge multiple times its high mark. 0 when the manager wants no alerts.
     */
    double getSurgeQueueLength();

    /** Queue delay, ms, at which an agent should {@link #alert} at once; 0 when the manager wants no alerts. */
    long getSurgeQueueDelayMillis();

    /**
     * The agent of {@code hostId} saw a figure reach a surge mark: poll and decide now, not at the next interval.
     * The manager reads the host's figures itself; the call only brings the cycle forward (at most once between
     * two regular cycles, so a flood of alerts costs at most one extra cycle per interval).
     *
     * @throws IllegalArgumentException when the host is not in the manager's table
     */
    void alert(String hostId);

    /** Cycles run early because of {@link #alert}s. */
    long getEarlyCycles();

    /** Moves everything eligible away from the host and leaves it out of target lists. */
    void drain(String hostId);

    /** Undoes {@link #drain}. */
    void enable(String hostId);
}
