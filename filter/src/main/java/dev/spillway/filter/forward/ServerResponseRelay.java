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
    private final ConcurrentLinkedQueue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final SerialDrain drainer = new SerialDrain(this::drainOnce);
    private volatile Flow.Subscription subscription;
    private volatile boolean writable;
    private volatile boolean upstreamDone;
    private volatile Throwable upstreamFailure;
    private volatile Throwable clientFailure;
    private volatile boolean requested; // a chunk was asked of the peer and has not arrived yet
    // Guarded by the drain loop:
    private boolean finished;
    private boolean wroteSinceFlush;
    private byte[] scratch;

    private long unwritten; // bytes the peer's Content-Length still promises, or -1 when it sent none

    ServerResponseRelay(ProxyExchange exchange, ServletOutputStream clientOut, long contentLength) {
        this.exchange = exchange;
        this.clientOut = clientOut;
        this.unwritten = contentLength;
    }

    @Override
    public CompletionStage<Void> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        requested = true;
        clientOut.setWriteListener(new ClientOutput()); // the container calls onWritePossible once output is usable
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        queue.addAll(items);
        requested = false;
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
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel(); // stop reading from the peer; the connection to it is closed
            }
            body.complete(null);
            exchange.clientGone(clientFailure);
            return;
        }
        if (upstreamFailure != null) {
            finished = true;
            queue.clear();
            body.completeExceptionally(upstreamFailure);
            exchange.upstreamFailedAfterHead(upstreamFailure);
            return;
        }
        if (!writable) {
            // Do not wait for the container's first onWritePossible (a hop to one of its threads): output that is
            // ready now may be written now, from this thread. If it is not, onWritePossible follows.
            try {
                if (!clientOut.isReady()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                return; // onWritePossible follows
            }
            writable = true;
        }
        try {
            ByteBuffer b;
            while ((b = queue.peek()) != null) {
                if (!clientOut.isReady()) {
                    return; // onWritePossible follows
                }
                int n = b.remaining();
                write(b);
                queue.poll();
                if (unwritten > 0) {
                    unwritten -= n;
                }
                wroteSinceFlush = true;
            }
            if (!clientOut.isReady()) {
                return;
            }
            if (upstreamDone) {
                finished = true;
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
                        return;
                    }
                }
                requested = true;
                subscription.request(1);
            }
        } catch (IOException | RuntimeException e) {
            clientFailure = e;
            finished = true;
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
