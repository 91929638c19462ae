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
 * {@code GET /api/stream}: the manager's data as server-sent events for an operator's automation (seed 004 c.34),
 * JSON or XML ({@link StreamFormat}). Each client has its own {@link StreamCursor}: it gets the current state at
 * once, then after every cycle one batch of what is new to it. Like the dashboard's stream, a timer looks at the
 * cycle counter ten times a second; a client still busy with its last batch is skipped and gets the cycles it missed
 * together in its next one; a comment line every 15 s keeps an idle connection open.
 */
final class DataStream implements AutoCloseable {
    static final int MAX_SUBSCRIBERS = 32;
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final byte[] HEARTBEAT = ": still here\n\n".getBytes(StandardCharsets.UTF_8);

    private final ManagerConsole console;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
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
        Subscriber s = new Subscriber(response, callback, new StreamCursor(format));
        s.writing.set(true); // holds the timer off until the first batch is on its way
        synchronized (subscribers) {
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
        byte[] first;
        synchronized (s.cursor) {
            first = s.cursor.first(console);
        }
        s.write(first, cycle);
        return true;
    }

    private void tick() {
        try {
            long cycle = console.cycles().cycles();
            for (Subscriber s : subscribers) {
                if (s.seenCycle != cycle) {
                    s.sendNext(cycle);
                } else if (System.nanoTime() - s.lastSentNanos > HEARTBEAT_NANOS) {
                    s.send(HEARTBEAT, cycle);
                }
            }
        } catch (RuntimeException e) {
            // a bug in one tick must not end the schedule
            System.getLogger("dev.spillway.manager").log(System.Logger.Level.ERROR, "data stream tick failed", e);
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
        final StreamCursor cursor;
        final AtomicBoolean writing = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile long seenCycle = -1;
        volatile long lastSentNanos = System.nanoTime();

        Subscriber(Response response, Callback done, StreamCursor cursor) {
            this.response = response;
            this.done = done;
            this.cursor = cursor;
        }

        /** The batch for {@code cycle}, built only when this client can take it (the cursor moves only then). */
        void sendNext(long cycle) {
            if (!closed.get() && writing.compareAndSet(false, true)) {
                byte[] batch;
                synchronized (cursor) {
                    batch = cursor.next(console);
                }
                write(batch, cycle);
            }
        }

        void send(byte[] event, long cycle) {
            if (!closed.get() && writing.compareAndSet(false, true)) {
                write(event, cycle);
            }
        }

        /** Writes {@code bytes}; the caller holds {@code writing}. */
        void write(byte[] bytes, long cycle) {
            seenCycle = cycle;
            lastSentNanos = System.nanoTime();
            response.write(false, ByteBuffer.wrap(bytes), Callback.from(() -> writing.set(false), this::gone));
        }

        private void gone(Throwable cause) {
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
