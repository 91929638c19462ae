package dev.spillway.manager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last decisions in words, newest last, also written to the log (System.Logger "dev.spillway.manager"). */
public final class DecisionLog {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager");

    public record Entry(long timeMillis, String hostId, String text) {
    }

    private final int keep;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public DecisionLog(int keep) {
        this.keep = keep;
    }

    public synchronized void add(long timeMillis, String hostId, String text) {
        LOG.log(System.Logger.Level.INFO, text);
        entries.addLast(new Entry(timeMillis, hostId, text));
        while (entries.size() > keep) {
            entries.removeFirst();
        }
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }
}
