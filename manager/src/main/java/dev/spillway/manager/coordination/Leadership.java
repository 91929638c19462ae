package dev.spillway.manager.coordination;

/**
 * What the control loop asks before it sends: "may I send, and under which epoch?". A manager that runs alone always
 * may ({@link #SOLE}, epoch 0); one of several managers on ZooKeeper may only while it is the elected leader with a
 * live session ({@link ZooKeeperLeadership}).
 */
public interface Leadership extends AutoCloseable {

    /** Returned by {@link #sendingEpoch()} when this manager must not send directives or permits. */
    long NOT_LEADING = -1;

    /** A manager without ZooKeeper: it leads, unfenced. */
    Leadership SOLE = new Leadership() {
        @Override
        public long sendingEpoch() {
            return 0;
        }

        @Override
        public LeadershipStatus status() {
            return LeadershipStatus.SOLE;
        }

        @Override
        public void close() {
        }
    };

    /**
     * The epoch to stamp on what is sent now (0: unfenced, a manager alone; 1 and up: an elected leader's term), or
     * {@link #NOT_LEADING}. Cheap and non-blocking: asked once per cycle just before the directives go out.
     */
    long sendingEpoch();

    /** Who leads, for the API, the dashboard and the metrics. */
    LeadershipStatus status();

    @Override
    void close();
}
