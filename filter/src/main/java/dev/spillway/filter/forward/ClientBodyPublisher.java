package dev.spillway.filter.forward;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client's request body as the proxy request's body: servlet non-blocking input ({@link ReadListener}) turned
 * into a {@link Flow.Publisher} with back-pressure. A chunk is read from the client only when the upstream
 * subscriber asked for one, so at most a few chunks are ever in memory, whatever the body's size.
 *
 * <p>The client's input stream is touched only when the HTTP client first asks for data (after it connected), so
 * a request whose peer cannot be reached still has its body intact for local service. It can be subscribed once:
 * the body cannot be replayed, so the HTTP client can never resend it.
 */
final class ClientBodyPublisher implements HttpRequest.BodyPublisher, Flow.Subscription, ReadListener {
    private static final int CHUNK = 16 * 1024;

    private final HttpServletRequest clientRequest;
    private final long contentLength;
    private final AtomicLong demand = new AtomicLong();
    private final SerialDrain drainer = new SerialDrain(this::drainOnce);
    private volatile Flow.Subscriber<? super ByteBuffer> subscriber;
    private volatile ServletInputStream in;
    private volatile boolean started;
    private volatile boolean cancelled;
    private volatile boolean allRead;
    private volatile Throwable failure;
    private volatile boolean clientFailed; // reading the client's body failed: it ended early or the client left
    private volatile boolean awaitingClient; // more body was asked for and the client has not sent it yet
    private boolean done; // guarded by the serial drain

    ClientBodyPublisher(HttpServletRequest clientRequest, long contentLength) {
        this.clientRequest = clientRequest;
        this.contentLength = contentLength;
    }

    /**
     * True if reading the client's body failed (it ended before its framing said, the client went away): the
     * exchange then failed through the client's fault, not the peer's.
     */
    boolean clientFailed() {
        return clientFailed;
    }

    /** True while the upstream asked for more of the body and the client has not sent it: a stall is the client's. */
    boolean awaitingClient() {
        return awaitingClient && !allRead && failure == null;
    }

    /** True once a byte of the client's body may have been consumed: local fallback is then impossible. */
    boolean started() {
        return started;
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public synchronized void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
        if (subscriber != null) {
            s.onSubscribe(new Flow.Subscription() {
                @Override public void request(long n) { }
                @Override public void cancel() { }
            });
            s.onError(new IOException("the client's request body can be sent only once"));
            return;
        }
        subscriber = s;
        s.onSubscribe(this);
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            failure = new IllegalArgumentException("non-positive request " + n);
            drain();
            return;
        }
        demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        if (!started) {
            synchronized (this) {
                if (!started) {
                    started = true;
                    try {
                        ServletInputStream s = clientRequest.getInputStream();
                        in = s;
                        s.setReadListener(this); // the container now calls onDataAvailable / onAllDataRead
                    } catch (IOException | RuntimeException e) {
                        clientFailed = true;
                        failure = e;
                        drain();
                    }
                    return;
                }
            }
        }
        drain();
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public void onDataAvailable() {
        drain();
    }

    @Override
    public void onAllDataRead() {
        allRead = true;
        drain();
    }

    /**
     * The container reports the client's connection failed (its async listener's onError; Tomcat may report a
     * broken read there and not to the ReadListener): fail the upstream body as a read error would.
     */
    void clientConnectionFailed(Throwable t) {
        clientFailed = true;
        if (failure == null) {
            failure = t != null ? t : new IOException("the client's connection failed");
        }
        if (subscriber != null && started) {
            drain();
        }
    }

    @Override
    public void onError(Throwable t) {
        clientFailed = true;
        failure = t;
        drain();
    }

    // One thread at a time reads: the container's callback thread or the HTTP client's thread that added demand.
    private void drain() {
        drainer.run();
    }

    private void drainOnce() {
        if (done || cancelled) {
            return;
        }
        Flow.Subscriber<? super ByteBuffer> s = subscriber;
        ServletInputStream stream = in;
        try {
            while (failure == null && !allRead && stream != null && demand.get() > 0) {
                if (stream.isFinished()) {
                    allRead = true;
                    break;
                }
                if (!stream.isReady()) {
                    awaitingClient = true;
                    return; // the container calls onDataAvailable (or onAllDataRead) later
                }
                awaitingClient = false;
                byte[] chunk = new byte[CHUNK];
                int n = stream.read(chunk);
                if (n < 0) {
                    allRead = true;
                } else if (n > 0) {
                    demand.decrementAndGet();
                    s.onNext(ByteBuffer.wrap(chunk, 0, n));
                }
            }
        } catch (IOException | RuntimeException e) {
            clientFailed = true;
            failure = e;
        }
        if (failure != null) {
            done = true;
            s.onError(failure);
        } else if (allRead) {
            done = true;
            s.onComplete();
        }
    }
}
