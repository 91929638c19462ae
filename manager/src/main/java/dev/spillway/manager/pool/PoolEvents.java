package dev.spillway.manager.pool;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The pool's recent {@link PoolEvent}s, numbered in order. Written by the cycle thread and the hook thread, read by
 * the web layer, so every method holds the lock; only the last {@value #KEPT} are kept (a stream reader that falls
 * further behind than that sees a gap in {@code seq}).
 */
public final class PoolEvents {
    static final int KEPT = 200;

    private final ArrayDeque<PoolEvent> events = new ArrayDeque<>();
    private long seq;

    synchronized void add(long timeMillis, String event, String host, String detail) {
        events.addLast(new PoolEvent(++seq, timeMillis, event, host, detail));
        if (events.size() > KEPT) {
            events.removeFirst();
        }
    }

    /** The kept events with a number above {@code seq}, oldest first. */
    public synchronized List<PoolEvent> after(long seq) {
        return events.stream().filter(e -> e.seq() > seq).toList();
    }
}
