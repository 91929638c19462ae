package dev.spillway.filter.probe;

import jakarta.servlet.ServletRequest;
import java.util.concurrent.Executor;

/**
 * Requests the container accepted that wait for, or hold, a worker thread. Read at most every few milliseconds and
 * from JMX getters, never required to be exact: the figures are racy snapshots of the container's counters.
 */
public interface QueueLengthSource {
    int UNKNOWN = -1;

    /** @return the current queue length (waiting + busy), or -1 if not (yet) known */
    int queueLength();

    /**
     * Requests (jobs) waiting for a worker now, or -1 if unknown. Read on the request path while a permit is in
     * force, so it must be cheap: an atomic read, no lock.
     */
    default int waiting() {
        return UNKNOWN;
    }

    /**
     * Workers that could start on a job now without waiting, or -1 if unknown: threads the pool may still start plus
     * idle ones, less queued jobs, never below 0. A job running counts as busy, so a request reading it learns
     * whether a worker is left for the next arrival. Read on the request path under a permit: atomic reads, no lock.
     */
    default int freeWorkers() {
        return UNKNOWN;
    }

    /** Workers running a job now, or -1 if unknown (may take a lock: not for the request path). */
    default int busyWorkers() {
        return UNKNOWN;
    }

    /** The most workers the pool may run requests on, or -1 if unknown. */
    default int maxWorkers() {
        return UNKNOWN;
    }

    String name();

    /**
     * Lets a source that can only be reached through a request (Tomcat's connector) resolve itself. Called on every
     * request, so it must be a cheap no-op once resolved.
     */
    default void learnFrom(ServletRequest request) {
    }

    /**
     * The worker pool whose queue requests wait in, for {@link PoolWaitCanary}; null if unknown (yet). Both Jetty's
     * QueuedThreadPool and Tomcat's executors are plain {@link Executor}s, so no reflection is needed to use it.
     */
    default Executor workerPool() {
        return null;
    }
}
