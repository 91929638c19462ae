package dev.spillway.manager.web;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/events}: server-sent events for the dashboard. A new subscriber gets a snapshot at once, then an
 * update after every cycle. The cycle has no listener hook, so a timer looks at the cycle counter ten times a
 * second (a volatile read) and sends when it moved; a comment line every 15 s keeps an idle connection open.
 * Writes never overlap per connection: a subscriber still busy with the last event is skipped, and one that
 * missed a cycle that way gets a snapshot instead of an update, so a slow page costs one event, not a backlog.
 */
final class EventStream implements AutoCloseable {
    static final int MAX_SUBSCRIBERS = 32;

    private final DashboardFeed feed;
    private final ManagerConsole console;
    private final Set<SseClient> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spillway-events");
        t.setDaemon(true);
        return t;
    });

    EventStream(ManagerConsole console) {
        this.console = console;
        this.feed = new DashboardFeed(console);
        timer.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Takes over the response; false (and nothing written) when too many pages are already subscribed. */
    boolean subscribe(Response response, Callback callback) {
        SseClient s = new SseClient(response, callback, subscribers::remove);
        synchronized (subscribers) {
            // check and add as one step: concurrent pages must not get past the limit together
            if (subscribers.size() >= MAX_SUBSCRIBERS) {
                return false;
            }
            subscribers.add(s);
        }
        SseClient.open(response);
        long cycle = console.cycles().cycles();
        s.write(feed.snapshot(), cycle);
        return true;
    }

    private void tick() {
        try {
            if (subscribers.isEmpty()) {
                return;
            }
            long cycle = console.cycles().cycles();
            byte[] update = null;
            byte[] snapshot = null;
            for (SseClient s : subscribers) {
                if (s.seenCycle() == cycle) {
                    if (s.heartbeatDue()) {
                        s.send(SseClient.HEARTBEAT, cycle);
                    }
                } else if (s.seenCycle() == cycle - 1) {
                    update = update == null ? feed.update() : update;
                    s.send(update, cycle);
                } else {
                    snapshot = snapshot == null ? feed.snapshot() : snapshot;
                    s.send(snapshot, cycle);
                }
            }
        } catch (RuntimeException e) {
            // a bug in one tick must not end the schedule
            System.getLogger("dev.spillway.manager").log(System.Logger.Level.ERROR, "event stream tick failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        subscribers.forEach(SseClient::end);
    }
}
