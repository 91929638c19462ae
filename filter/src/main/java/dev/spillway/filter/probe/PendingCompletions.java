package dev.spillway.filter.probe;

import jakarta.servlet.ServletContext;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Async cycles the filter handed back to the container to end (a proxied relay's {@code AsyncContext.complete()}
 * from the proxy client's thread) and the container's jobs that follow them. Both Jetty and Tomcat run that end as a
 * job of the worker pool, so while every worker is busy it waits in the pool's queue and reads as a waiting request,
 * though it is microseconds of work, not a request's service time: the valve takes these out of its backlog read.
 *
 * <p>On Jetty 12 the cycle's end is followed by one more job: once the cycle has ended, the connection's
 * {@code HttpConnection} is queued to go on reading it (the next request, or the close after {@code Connection:
 * close}). It is queued after {@code onComplete}, where the filter can no longer see it run, so there a cycle's end
 * is counted until a marker job, queued at {@code onComplete} ahead of that continuation, has run: the worker that
 * ran the marker takes the continuation next.
 *
 * <p>One per webapp, kept as a context attribute: the probe and the forwarder are built apart, and this is where
 * both can find it.
 */
public final class PendingCompletions {
    static final String ATTRIBUTE = PendingCompletions.class.getName();

    private final AtomicInteger pending = new AtomicInteger();
    /** Jetty's worker pool, where a cycle's end is followed by the connection's continuation; null elsewhere. */
    private volatile Executor continuationPool;
    private final Runnable continuationReached = () -> pending.addAndGet(-2);

    /** The webapp's count, made on first use. */
    public static PendingCompletions of(ServletContext ctx) {
        synchronized (ctx) {
            Object o = ctx.getAttribute(ATTRIBUTE);
            if (o instanceof PendingCompletions p) {
                return p;
            }
            PendingCompletions p = new PendingCompletions();
            ctx.setAttribute(ATTRIBUTE, p);
            return p;
        }
    }

    /** On this pool a cycle's end is followed by a job of the container's (Jetty 12's connection continuation). */
    void continuationsQueuedOn(Executor pool) {
        continuationPool = pool;
    }

    /**
     * True where the container goes on with the client's connection in a job of its own once the cycle has ended
     * (Jetty 12): a next request the client sent on it is read there, after one more wait in the queue.
     */
    public boolean endContinuesTheConnection() {
        return continuationPool != null;
    }

    /** A cycle's end was handed to the container (call before {@code complete()}, so it is never seen uncounted). */
    public void handedOver() {
        pending.incrementAndGet();
    }

    /** A handed-over cycle ended ({@code AsyncListener.onComplete}). */
    public void ended() {
        Executor pool = continuationPool;
        if (pool == null) {
            pending.decrementAndGet();
            return;
        }
        // Now two jobs are ours: the marker and the continuation queued behind it.
        pending.incrementAndGet();
        try {
            pool.execute(continuationReached);
        } catch (RuntimeException rejected) {
            pending.addAndGet(-2); // pool stopping: nothing is queued
        }
    }

    /** A handed-over cycle's end was never queued after all (the cycle had already ended). */
    public void notQueued() {
        pending.decrementAndGet();
    }

    /** Handed over and not ended yet. */
    public int pending() {
        return Math.max(0, pending.get());
    }
}
