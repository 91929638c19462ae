package dev.spillway.filter.probe;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Measures how long a job waits in the container's worker pool right now, by putting one empty job into that pool
 * and timing how long it takes to start. Requests wait in the same FIFO queue (Jetty's QueuedThreadPool, Tomcat's
 * connector executor) before any container timestamp is taken, so this is the HTTP/1.1 queue delay the containers'
 * own stamps cannot see.
 *
 * <p>At most one canary is outstanding, and it is a single reused object (no allocation of ours). While it waits,
 * its age is a live lower bound of the wait, so a pool that stops moving shows a delay that keeps growing instead of
 * a stale one. Submission is driven by the probe's sampling (requests and getters), so there is no thread of ours.
 * While waiting, the canary counts as one job in the container's queue length, and keeps the probe reachable
 * (after an undeploy: until it has run once).
 */
final class PoolWaitCanary implements Runnable {
    private static final long IDLE = Long.MIN_VALUE;

    private final Executor pool;
    private final LongSupplier nanoClock;
    private final AtomicLong submittedAt = new AtomicLong(IDLE);
    private final AtomicEwma averageNanos = new AtomicEwma();
    private final WindowMax maxNanos;
    /**
     * Weight per completed canary on the way down; canaries complete at most every sampling interval, so ~4 recent
     * ones dominate. On the way up a longer wait counts at once: under load a canary completes only every queue
     * delay, so a plain average would trail a rising queue by seconds (and dip after each canary, see
     * BENCHMARKS.md, 8), just when the manager needs the figure.
     */
    static final double WEIGHT = 1.0 / 4;

    PoolWaitCanary(Executor pool, LongSupplier nanoClock, long windowNanos) {
        this.pool = pool;
        this.nanoClock = nanoClock;
        this.maxNanos = new WindowMax(windowNanos, nanoClock.getAsLong());
    }

    /** Sends a canary unless one is still waiting. Never throws. */
    void maybeSubmit(long now) {
        if (submittedAt.get() != IDLE || !submittedAt.compareAndSet(IDLE, now)) {
            return;
        }
        try {
            pool.execute(this);
        } catch (RuntimeException e) {
            // Rejected (bounded queue full, pool stopping): nothing to time; try again at the next sample.
            submittedAt.set(IDLE);
        }
    }

    @Override
    public void run() {
        long started = submittedAt.get();
        if (started == IDLE) {
            return;
        }
        long now = nanoClock.getAsLong();
        long wait = Math.max(0, now - started);
        averageNanos.addRisingAtOnce(wait, WEIGHT);
        maxNanos.record(wait, now);
        submittedAt.set(IDLE);
    }

    /** Age of the waiting canary, 0 if none waits. */
    private long pendingNanos(long now) {
        long started = submittedAt.get();
        return started == IDLE ? 0 : Math.max(0, now - started);
    }

    /** Smoothed wait (rising at once, falling by {@link #WEIGHT}), at least the waiting canary's age; -1 before the first measurement. */
    long averageNanos(long now) {
        double average = averageNanos.get();
        long pending = pendingNanos(now);
        if (Double.isNaN(average)) {
            return pending > 0 ? pending : -1;
        }
        return Math.max((long) average, pending);
    }

    /** Largest wait over the recent window, at least the waiting canary's age; -1 if nothing measured. */
    long maxNanos(long now) {
        long max = maxNanos.max(now);
        long pending = pendingNanos(now);
        return pending > 0 ? Math.max(max, pending) : max;
    }
}
