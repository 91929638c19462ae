package dev.spillway.manager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last decisions in words, newest last, also written to the log (System.Logger "dev.spillway.manager"). */
public final class DecisionLog {
    // java.util.logging with an explicit source: no stack walk per record (which costs at 1000 hosts).
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("dev.spillway.manager");

    public record Entry(long timeMillis, String hostId, String text) {
    }

    private final int keep;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public DecisionLog(int keep) {
        this.keep = keep;
    }

    public synchronized void add(long timeMillis, String hostId, String text) {
        LOG.logp(java.util.logging.Level.INFO, "dev.spillway.manager.decision", hostId, text);
        entries.addLast(new Entry(timeMillis, hostId, text));
        while (entries.size() > keep) {
            entries.removeFirst();
        }
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }
}
