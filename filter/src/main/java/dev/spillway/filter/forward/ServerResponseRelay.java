package dev.spillway.filter.forward;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;

/**
 * The peer's response body relayed to the client: a {@link Flow.Subscriber} of the HTTP client feeding servlet
 * non-blocking output ({@link WriteListener}). The next chunk is requested from the peer only when everything
 * received so far was accepted by the client's connection, so a slow client slows the peer instead of filling the
 * heap.
 */
final class ServerResponseRelay implements HttpResponse.BodySubscriber<Void> {
    private final ProxyExchange exchange;
    private final ServletOutputStream clientOut;
    private final CompletableFuture<Void> body = new CompletableFuture<>();
    // One entry per onNext, i.e. per chunk asked of the peer. A chunk counts as taken only once the drain loop has
    // written all of it (see drainOnce): the HTTP client may reuse its memory as soon as the next one is asked for.
    private final ConcurrentLinkedQueue<List<ByteBuffer>> deliveries = new ConcurrentLinkedQueue<>();
    private final SerialDrain drainer = new SerialDrain(this::drainOnce);
    private volatile Flow.Subscription subscription;
    private volatile boolean writable;
    private volatile boolean upstreamDone;
    private volatile Throwable upstreamFailure;
    private volatile Throwable clientFailure;
    private volatile boolean requested; // a chunk was asked of the peer and has not been written yet
    // Idle check: the last time bytes came from the peer or went to the client; whether the client is what we wait on.
    private final IdleTimer idleTimer;
    private final long idleNanos;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean blockedOnClient;
    private volatile boolean idleExpired;
    private volatile boolean over;
    private volatile java.util.concurrent.Future<?> idleCheck;
    // Guarded by the drain loop:
    private boolean finished;
    private List<ByteBuffer> writing; // the delivery being written, from deliveries
    private int nextInWriting;
    private boolean wroteSinceFlush;
    private byte[] scratch;

    private long unwritten; // bytes the peer's Content-Length still promises, or -1 when it sent none

    ServerResponseRelay(ProxyExchange exchange, ServletOutputStream clientOut, long contentLength,
            IdleTimer idleTimer, long idleMillis) {
        this.exchange = exchange;
        this.clientOut = clientOut;
        this.unwritten = contentLength;
        this.idleTimer = idleTimer;
        this.idleNanos = idleMillis * 1_000_000L;
    }

    /** The container reports the client's connection failed: stop relaying, as a failed write would. */
    void clientConnectionFailed(Throwable t) {
        clientFailure = t != null ? t : new IOException("the client's connection failed");
        drain();
    }

    /** Stops reading from the peer (the exchange ended otherwise); the peer's connection is closed. */
    void stopReading() {
        stopIdleCheck();
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    // The relay is over: its pending idle check is dropped from the timer's queue. Left there, it kept the relay, its
    // exchange and the client's request and connection reachable for a whole idle period (30 s) after the end: in
    // issue 11's repro, thousands of ended relays and the container's 98 KB header cache of each one's connection.
    private void stopIdleCheck() {
        over = true;
        java.util.concurrent.Future<?> f = idleCheck;
        if (f != null) {
            f.cancel(false);
        }
    }

    // Once per idle period: neither side moved for the whole period ends the exchange (see drainOnce).
    private void checkIdle() {
        if (over) {
            return;
        }
        long idle = System.nanoTime() - lastProgressNanos;
        if (idle < idleNanos) {
            idleCheck = idleTimer.schedule(this::checkIdle, idleNanos - idle);
            if (over) {
                stopIdleCheck(); // ended while we rescheduled
            }
            return;
        }
        idleExpired = true;
        drain();
    }

    @Override
    public CompletionStage<Void> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        requested = true;
        idleCheck = idleTimer.schedule(this::checkIdle, idleNanos);
        clientOut.setWriteListener(new ClientOutput()); // the container calls onWritePossible once output is usable
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        lastProgressNanos = System.nanoTime();
        // Not "requested = false" here: a drain loop running on another thread (the container's onWritePossible)
        // may already have found the queue empty and would then ask for the next chunk before writing this one;
        // the Jetty client reuses a chunk's memory once the next is asked for, so the client got wrong bytes.
        deliveries.add(items);
        drain();
    }

    @Override
    public void onError(Throwable t) {
        upstreamFailure = t;
        drain();
    }

    @Override
    public void onComplete() {
        upstreamDone = true;
        drain();
    }

    // Both Flow.Subscriber and WriteListener have onError(Throwable): the client side gets its own object.
    private final class ClientOutput implements WriteListener {
        @Override
        public void onWritePossible() {
            lastProgressNanos = System.nanoTime();
            blockedOnClient = false;
            writable = true;
            drain();
        }

        @Override
        public void onError(Throwable t) { // the client went away
            clientFailure = t;
            drain();
        }
    }

    private void drain() {
        drainer.run();
    }

    private void drainOnce() {
        if (finished) {
            return;
        }
        // Failures are handled even before the container declared the output writable: neither needs a write.
        if (clientFailure != null) {
            finished = true;
            stopIdleCheck();
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel(); // stop reading from the peer; the connection to it is closed
            }
            body.complete(null);
            exchange.clientGone(clientFailure);
            return;
        }
        if (idleExpired || upstreamFailure != null) {
            finished = true;
            stopIdleCheck();
            // A timeout while the client had not taken what we hold is the client's stall, not the peer's.
            boolean clientStalled = (blockedOnClient || writing != null || !deliveries.isEmpty())
                    && (idleExpired || Failures.isTimeout(upstreamFailure));
            writing = null;
            deliveries.clear();
            Throwable failure = upstreamFailure != null ? upstreamFailure : new UpstreamIdle(idleNanos / 1_000_000L);
            if (clientStalled) {
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
                body.complete(null);
                exchange.clientStalled();
                return;
            }
            if (upstreamFailure == null) {
                subscription.cancel(); // the peer went silent: stop waiting for it
            }
            body.completeExceptionally(failure);
            exchange.upstreamFailedAfterHead(failure);
            return;
        }
        if (!writable) {
            // Do not wait for the container's first onWritePossible (a hop to one of its threads): output that is
            // ready now may be written now, from this thread. If it is not, onWritePossible follows.
            try {
                if (!clientOut.isReady()) {
                    blockedOnClient = true;
                    return;
                }
            } catch (RuntimeException notYet) {
                return; // onWritePossible follows
            }
            writable = true;
        }
        try {
            while (true) {
                if (writing == null) {
                    writing = deliveries.poll();
                    nextInWriting = 0;
                    if (writing == null) {
                        break;
                    }
                }
                if (nextInWriting == writing.size()) {
                    // All of this chunk went to the container. Only this loop says so, so a next chunk is never
                    // asked for (and this one's memory never released) before its bytes were written.
                    writing = null;
                    requested = false;
                    continue;
                }
                if (!clientOut.isReady()) {
                    blockedOnClient = true;
                    return; // onWritePossible follows
                }
                ByteBuffer b = writing.get(nextInWriting);
                int n = b.remaining();
                write(b);
                lastProgressNanos = System.nanoTime();
                nextInWriting++;
                if (unwritten > 0) {
                    unwritten -= n;
                }
                wroteSinceFlush = true;
            }
            if (!clientOut.isReady()) {
                blockedOnClient = true;
                return;
            }
            if (upstreamDone) {
                if (wroteSinceFlush) {
                    // Send the last bytes from this thread. Completing the async cycle needs one of the container's
                    // own threads, and this server is likely backed up (that is why the request was moved): left to
                    // complete(), Tomcat would hold the body in its buffer until a worker is free.
                    wroteSinceFlush = false;
                    clientOut.flush();
                    if (!clientOut.isReady()) {
                        blockedOnClient = true;
                        return;
                    }
                }
                finished = true;
                stopIdleCheck();
                body.complete(null);
                exchange.completed();
                return;
            }
            if (!requested) {
                if (wroteSinceFlush && unwritten != 0) {
                    // Nothing more is waiting: push what we have, so a slowly produced body keeps moving. (When
                    // the whole promised length is written, completing flushes it in the same write.)
                    wroteSinceFlush = false;
                    clientOut.flush();
                    if (!clientOut.isReady()) {
                        blockedOnClient = true;
                        return;
                    }
                }
                requested = true;
                subscription.request(1);
            }
        } catch (IOException | RuntimeException e) {
            clientFailure = e;
            finished = true;
            stopIdleCheck();
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            body.complete(null);
            exchange.clientGone(e);
        }
    }

    private void write(ByteBuffer b) throws IOException {
        if (b.hasArray()) {
            clientOut.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        } else {
            // A previous write has completed (isReady was true), so the scratch array is free to reuse.
            int n = b.remaining();
            if (scratch == null || scratch.length < n) {
                scratch = new byte[Math.max(n, 16 * 1024)];
            }
            b.duplicate().get(scratch, 0, n);
            clientOut.write(scratch, 0, n);
        }
    }
}
