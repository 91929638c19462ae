package dev.spillway.demo;

/**
 * Follows the manager's spare pool once a second, from its {@code /metrics} ({@code spillway_pool_allocations_total},
 * {@code spillway_pool_releases_total}): notes the moment the first allocation and the first release after
 * {@link #start} were seen. The counters are the manager's own since it started; the demo reads them from the manager
 * that leads.
 */
final class PoolWatch {
    private final Cluster cluster;
    private double allocationsAtStart;
    private double releasesAtStart;
    private volatile long allocatedNanos = -1;
    private volatile long releasedNanos = -1;

    PoolWatch(Cluster cluster) {
        this.cluster = cluster;
    }

    void start() {
        allocationsAtStart = zeroIfNaN(cluster.metric("spillway_pool_allocations_total"));
        releasesAtStart = zeroIfNaN(cluster.metric("spillway_pool_releases_total"));
    }

    /** Reads the counters; call once a second. */
    void tick() {
        long now = System.nanoTime();
        if (allocatedNanos < 0 && cluster.metric("spillway_pool_allocations_total") > allocationsAtStart) {
            allocatedNanos = now;
        }
        if (allocatedNanos >= 0 && releasedNanos < 0
                && cluster.metric("spillway_pool_releases_total") > releasesAtStart) {
            releasedNanos = now;
        }
    }

    boolean allocated() {
        return allocatedNanos >= 0;
    }

    boolean released() {
        return releasedNanos >= 0;
    }

    /** When the allocation was first seen ({@link System#nanoTime()}), or -1. */
    long allocatedNanos() {
        return allocatedNanos;
    }

    long releasedNanos() {
        return releasedNanos;
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
