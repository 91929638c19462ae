package dev.spillway.manager.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/stream}: the manager's data as server-sent events for an operator's automation (seed 004 c.34),
 * JSON or XML ({@link StreamFormat}). Each client has its own {@link StreamCursor}: it gets the current state at
 * once, then after every cycle one batch of what is new to it. Like the dashboard's stream, a timer looks at the
 * cycle counter ten times a second; a client still busy with its last batch is skipped and gets the cycles it missed
 * together in its next one; a comment line every 15 s keeps an idle connection open.
 */
final class DataStream implements AutoCloseable {
    static final int MAX_SUBSCRIBERS = 32;

    private final ManagerConsole console;
    /** Each client with its own cursor (a cursor is moved under its own lock). */
    private final Map<SseClient, StreamCursor> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spillway-data-stream");
        t.setDaemon(true);
        return t;
    });

    DataStream(ManagerConsole console) {
        this.console = console;
        timer.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Takes over the response; false (and nothing written) when too many clients are already subscribed. */
    boolean subscribe(Response response, Callback callback, StreamFormat format) {
        SseClient s = new SseClient(response, callback, subscribers::remove);
        StreamCursor cursor = new StreamCursor(format);
        synchronized (subscribers) {
            if (subscribers.size() >= MAX_SUBSCRIBERS) {
                return false;
            }
            subscribers.put(s, cursor);
        }
        SseClient.open(response);
        long cycle = console.cycles().cycles();
        byte[] first;
        synchronized (cursor) {
            first = cursor.first(console);
        }
        s.write(first, cycle);
        return true;
    }

    private void tick() {
        try {
            long cycle = console.cycles().cycles();
            for (Map.Entry<SseClient, StreamCursor> e : subscribers.entrySet()) {
                SseClient s = e.getKey();
                if (s.seenCycle() != cycle) {
                    sendNext(s, e.getValue(), cycle);
                } else if (s.heartbeatDue()) {
                    s.send(SseClient.HEARTBEAT, cycle);
                }
            }
        } catch (RuntimeException e) {
            // a bug in one tick must not end the schedule
            System.getLogger("dev.spillway.manager").log(System.Logger.Level.ERROR, "data stream tick failed", e);
        }
    }

    /** The batch for {@code cycle}, built only when this client can take it (the cursor moves only then). */
    private void sendNext(SseClient s, StreamCursor cursor, long cycle) {
        if (s.claim()) {
            byte[] batch;
            synchronized (cursor) {
                batch = cursor.next(console);
            }
            s.write(batch, cycle);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        subscribers.keySet().forEach(SseClient::end);
    }
}
