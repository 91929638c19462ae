package dev.spillway.manager.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One server-sent-events connection of {@link EventStream} or {@link DataStream}. Writes never overlap: a client
 * still busy with its last write is skipped ({@link #claim}), so a slow reader costs its stream one skipped tick, not
 * a backlog. A connection that fails (the reader went away, the server stops) is forgotten and its exchange ended.
 */
final class SseClient {
    /** A comment line this often keeps an idle connection open through proxies. */
    static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);
    static final byte[] HEARTBEAT = ": still here\n\n".getBytes(StandardCharsets.UTF_8);

    private final Response response;
    private final Callback done;
    private final Consumer<SseClient> forget;
    // Claimed from the start: the stream's timer must not write before the first event is on its way.
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long seenCycle = -1;
    private volatile long lastSentNanos = System.nanoTime();

    /** @param forget removes this client from its stream's set (on failure and on end) */
    SseClient(Response response, Callback done, Consumer<SseClient> forget) {
        this.response = response;
        this.done = done;
        this.forget = forget;
    }

    /** Sets the status and headers of an event stream on {@code response}. */
    static void open(Response response) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
    }

    /** The cycle of the last thing written. */
    long seenCycle() {
        return seenCycle;
    }

    boolean heartbeatDue() {
        return System.nanoTime() - lastSentNanos > HEARTBEAT_NANOS;
    }

    /** True when this client can take a write now; the caller must then {@link #write}. */
    boolean claim() {
        return !closed.get() && writing.compareAndSet(false, true);
    }

    /** Writes {@code event} unless the last write is still going (then the next tick tries again). */
    void send(byte[] event, long cycle) {
        if (claim()) {
            write(event, cycle);
        }
    }

    /** Writes {@code bytes}; the caller holds the claim (or this is the first write). */
    void write(byte[] bytes, long cycle) {
        seenCycle = cycle;
        lastSentNanos = System.nanoTime();
        response.write(false, ByteBuffer.wrap(bytes), Callback.from(() -> writing.set(false), this::gone));
    }

    private void gone(Throwable cause) {
        forget.accept(this);
        if (closed.compareAndSet(false, true)) {
            done.failed(cause);
        }
    }

    void end() {
        forget.accept(this);
        if (closed.compareAndSet(false, true)) {
            done.succeeded();
        }
    }
}
