package dev.spillway.manager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The last decisions in words, newest last, also written to the log (java.util.logging "dev.spillway.manager").
 *
 * <p>{@link #add} keeps the entry at once ({@link #entries()}, the API and the dashboard see it when the cycle
 * ends) but hands the log record, stamped with the time it was added, to one writer thread, so the log's handlers
 * (formatting and the console write: about 470 lines a second at 1000 hosts in {@code ManagerCycleBench}) do not
 * run on the cycle thread. One writer keeps the order. The queue is bounded: a log that cannot keep up slows
 * {@code add} again instead of growing without end. {@link #close()} writes what is queued before it returns.
 */
public final class DecisionLog implements AutoCloseable {
    // java.util.logging with an explicit source: no stack walk per record (which costs at 1000 hosts).
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("dev.spillway.manager");
    private static final int QUEUED_MAX = 20_000;
    private static final LogRecord END = new LogRecord(Level.OFF, "end");

    public record Entry(long timeMillis, String hostId, String text) {
    }

    private final int keep;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private final BlockingQueue<LogRecord> unwritten = new LinkedBlockingQueue<>(QUEUED_MAX);
    private final Thread writer;
    private boolean closed;

    public DecisionLog(int keep) {
        this.keep = keep;
        this.writer = new Thread(this::write, "spillway-decision-log");
        writer.setDaemon(true);
        writer.start();
    }

    public synchronized void add(long timeMillis, String hostId, String text) {
        entries.addLast(new Entry(timeMillis, hostId, text));
        while (entries.size() > keep) {
            entries.removeFirst();
        }
        if (closed) {
            LOG.logp(Level.INFO, "dev.spillway.manager.decision", hostId, text);
            return;
        }
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        LogRecord r = new LogRecord(Level.INFO, text);
        r.setLoggerName(LOG.getName());
        r.setSourceClassName("dev.spillway.manager.decision");
        r.setSourceMethodName(hostId);
        // under the lock, so that close() cannot slip its end mark in before this record
        try {
            unwritten.put(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(r);
        }
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    private void write() {
        while (true) {
            LogRecord r;
            try {
                r = unwritten.take();
            } catch (InterruptedException e) {
                continue; // only END stops the writer, so nothing queued is lost
            }
            if (r == END) {
                return;
            }
            try {
                LOG.log(r);
            } catch (RuntimeException e) {
                // a handler's fault must not stop the log for the decisions after it
            }
        }
    }

    /** Writes every record added so far, then stops the writer; later records are written on the caller's thread. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            unwritten.put(END); // after every record added before closed was set (add holds the lock to put)
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
