package dev.spillway.filter.gate;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
    /** Told each held request's time in the gate as it leaves it (resumed or moved): the load report's queue delay. */
    private volatile LongConsumer heldTime = nanos -> { };

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

    /** Tells {@code heldTime} each held request's nanoseconds in the gate when it leaves it, resumed or moved. */
    public void reportHeldTime(LongConsumer heldTime) {
        this.heldTime = heldTime;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    void heldFor(QueuedRequest q, long heldAt) {
        heldTime.accept(Math.max(0, nanoClock.getAsLong() - heldAt));
    }

    /**
     * Moves held requests that may move, oldest first, while at least {@code atLeast} requests are held and a target
     * has budget: {@code budget} takes one request's worth of a target's budget (null: none left, stop), and
     * {@code move} answers the request with that target (false: the forwarder declined, the request waits again at
     * the front). A request claimed here is never resumed too, and one resumed or ended first is never moved (the
     * request's {@code settled} flag decides). A budget taken for a request that a concurrent resume took first
     * goes unspent: the target gets one request less, never one more. Returns how many were moved.
     */
    public <T> int moveOldest(int atLeast, Supplier<T> budget, BiPredicate<T, QueuedRequest> move) {
        int moved = 0;
        while (queued() >= Math.max(1, atLeast) && hasMovable()) {
            T target = budget.get();
            if (target == null) {
                return moved;
            }
            QueuedRequest q = claimOldestMovable();
            if (q == null) {
                return moved;
            }
            heldFor(q, q.heldAt());
            if (!move.test(target, q)) {
                synchronized (this) {
                    q.unclaim();
                    queue.addFirst(q);
                }
                return moved;
            }
            moved++;
        }
        return moved;
    }

    private synchronized boolean hasMovable() {
        for (QueuedRequest q : queue) {
            if (q.movablePath() != null) {
                return true;
            }
        }
        return false;
    }

    // Under the gate's lock, then the request's: the only nesting of the two (resume and end take the request's alone).
    private synchronized QueuedRequest claimOldestMovable() {
        for (Iterator<QueuedRequest> it = queue.iterator(); it.hasNext(); ) {
            QueuedRequest q = it.next();
            if (q.movablePath() == null) {
                continue;
            }
            it.remove();
            if (q.claim()) {
                return q;
            } // else it ended while held: drop it and look further
        }
        return null;
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
