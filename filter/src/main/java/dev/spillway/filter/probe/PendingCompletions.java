package dev.spillway.filter.probe;

import jakarta.servlet.ServletContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Async cycles the filter handed back to the container to end (a proxied relay's {@code AsyncContext.complete()}
 * from the proxy client's thread) that have not ended yet. Both Jetty and Tomcat run that end as a job of the worker
 * pool, so while every worker is busy it waits in the pool's queue and reads as a waiting request, though it is
 * microseconds of work, not a request's service time: the valve takes these out of its backlog read.
 *
 * <p>One per webapp, kept as a context attribute: the probe and the forwarder are built apart, and this is where
 * both can find it.
 */
public final class PendingCompletions {
    static final String ATTRIBUTE = PendingCompletions.class.getName();

    private final AtomicInteger pending = new AtomicInteger();

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

    /** A cycle's end was handed to the container (call before {@code complete()}, so it is never seen uncounted). */
    public void handedOver() {
        pending.incrementAndGet();
    }

    /** A handed-over cycle ended ({@code AsyncListener.onComplete}), or was never queued after all. */
    public void ended() {
        pending.decrementAndGet();
    }

    /** Handed over and not ended yet. */
    public int pending() {
        return pending.get();
    }
}
