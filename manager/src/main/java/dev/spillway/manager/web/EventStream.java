package dev.spillway.manager.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
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
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final byte[] HEARTBEAT = ": still here\n\n".getBytes(StandardCharsets.UTF_8);

    private final DashboardFeed feed;
    private final ManagerConsole console;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
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
        Subscriber s = new Subscriber(response, callback);
        s.writing.set(true);   // holds the timer off until the snapshot, the first event, is on its way
        synchronized (subscribers) {
            // check and add as one step: concurrent pages must not get past the limit together
            if (subscribers.size() >= MAX_SUBSCRIBERS) {
                return false;
            }
            subscribers.add(s);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
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
            for (Subscriber s : subscribers) {
                if (s.seenCycle == cycle) {
                    if (System.nanoTime() - s.lastSentNanos > HEARTBEAT_NANOS) {
                        s.send(HEARTBEAT, cycle);
                    }
                } else if (s.seenCycle == cycle - 1) {
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
        subscribers.forEach(Subscriber::end);
    }

    private final class Subscriber {
        private final Response response;
        private final Callback done;
        final AtomicBoolean writing = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile long seenCycle = -1;
        volatile long lastSentNanos = System.nanoTime();

        Subscriber(Response response, Callback done) {
            this.response = response;
            this.done = done;
        }

        /** Starts writing {@code event} unless the last write is still going (then the next tick tries again). */
        void send(byte[] event, long cycle) {
            if (!closed.get() && writing.compareAndSet(false, true)) {
                write(event, cycle);
            }
        }

        /** Writes {@code event}; the caller holds {@code writing}. */
        void write(byte[] event, long cycle) {
            seenCycle = cycle;
            lastSentNanos = System.nanoTime();
            response.write(false, ByteBuffer.wrap(event), Callback.from(() -> writing.set(false), this::gone));
        }

        private void gone(Throwable cause) {
            // the page went away (or the server is stopping): forget it and end its exchange
            subscribers.remove(this);
            if (closed.compareAndSet(false, true)) {
                done.failed(cause);
            }
        }

        void end() {
            subscribers.remove(this);
            if (closed.compareAndSet(false, true)) {
                done.succeeded();
            }
        }
    }
}
