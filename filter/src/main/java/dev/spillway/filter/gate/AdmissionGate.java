package dev.spillway.filter.gate;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Lets at most the pool's maximum less {@link #RESERVE} pages run here at once, so that the container always has a
 * worker free to hand each arrival to the filter at once: a request that would otherwise wait in the container's
 * queue (where the filter cannot see it, let alone move it) waits here instead, where it can be moved at arrival or
 * resumed in order as pages end. The count is of workers held by pages: a slot is taken when a page starts on a
 * worker and given back when that worker returns from the filter (a page that goes async itself gives its worker back
 * then too). While the pool's size is unknown (Tomcat before its first request) the gate lets everything through.
 */
public final class AdmissionGate {
    /** Workers kept free for arrivals: one is enough, an arrival holds it only for as long as the filter's decision. */
    public static final int RESERVE = 1;
    static final long LIMIT_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final IntSupplier maxWorkers;
    private final LongSupplier nanoClock;
    private final ArrayDeque<QueuedRequest> queue = new ArrayDeque<>();
    private int running;
    private int limit = -1;
    private long limitReadAt;

    public AdmissionGate(IntSupplier maxWorkers, LongSupplier nanoClock) {
        this.maxWorkers = maxWorkers;
        this.nanoClock = nanoClock;
    }

    /** Takes a slot if one is free (or the pool's size is unknown) and nobody waits for one; false if the gate is full. */
    public synchronized boolean tryEnter() {
        if (queue.isEmpty() && hasRoom()) {
            running++;
            return true;
        }
        return false;
    }

    /**
     * Queues {@code q} for the next slot; if a slot freed since {@link #tryEnter} failed (and nobody is ahead), takes
     * it and returns true: the caller then {@link QueuedRequest#resume resumes} {@code q} itself.
     */
    public boolean admitOrQueue(QueuedRequest q) {
        synchronized (this) {
            if (queue.isEmpty() && hasRoom()) {
                running++;
                return true;
            }
            queue.addLast(q);
            return false;
        }
    }

    /** Requests waiting in the gate now. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Pages holding a slot now. */
    public synchronized int running() {
        return running;
    }

    /**
     * Gives a slot back: it passes to the oldest queued request that can still be resumed (one whose client went away
     * or that timed out is skipped), else it is free again. Call exactly once per slot taken.
     */
    public void release() {
        while (true) {
            QueuedRequest next;
            synchronized (this) {
                next = queue.pollFirst();
                if (next == null) {
                    running--;
                    return;
                }
            }
            // Resumed outside the lock: dispatching may run the request on this thread in some containers.
            if (next.resume()) {
                return; // the slot is now next's
            }
        }
    }

    /** Drops a queued request that ended while it waited (its client went away, an error); no slot changes hands. */
    public synchronized void forget(QueuedRequest q) {
        queue.remove(q);
    }

    private boolean hasRoom() {
        int l = limit();
        return l <= 0 || running < l;
    }

    // The pool's maximum, re-read at most once a second (it can be changed at run time; Tomcat knows it late).
    private int limit() {
        long now = nanoClock.getAsLong();
        if (limit <= 0 || now - limitReadAt >= LIMIT_REFRESH_NANOS) {
            int max = maxWorkers.getAsInt();
            limit = max > RESERVE ? max - RESERVE : -1;
            limitReadAt = now;
        }
        return limit;
    }
}
