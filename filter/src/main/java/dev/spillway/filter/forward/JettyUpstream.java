package dev.spillway.filter.forward;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Proxied requests over Jetty's {@link HttpClient}, relocated into the filter JAR under
 * {@code dev.spillway.shaded.jetty} so it never meets the container's own Jetty. It completes an exchange on the
 * thread that read its last bytes: no hand-off per request, which is what the JDK 17 client cannot avoid.
 *
 * <p>Set up as a transparent proxy's client must be: no cookie store, no redirects, no authentication or other
 * protocol handlers, no content decoding, no User-Agent or default Content-Type of its own; heap buffers, so the
 * relay writes them to the servlet output without a copy. The JDK client's request timeout (from sending to the
 * response head) is kept as a timer of ours; while a body streams, the relay's idle check cuts off a peer silent
 * for longer than the proxy idle timeout (and Jetty's own exchange idle timeout backs it). Idle pooled
 * connections are closed after {@link #POOLED_IDLE_MILLIS}.
 */
final class JettyUpstream implements UpstreamClient {
    static final long POOLED_IDLE_MILLIS = 15_000;

    private final HttpClient client;
    private final long proxyTimeoutMillis;
    private final long exchangeIdleMillis;

    private JettyUpstream(HttpClient client, long proxyTimeoutMillis, long proxyIdleTimeoutMillis) {
        this.client = client;
        this.proxyTimeoutMillis = proxyTimeoutMillis;
        // Jetty's own idle timeout covers the whole exchange, head included: the longer of ours. The relay's idle
        // check applies proxyIdleTimeout once the head arrived.
        this.exchangeIdleMillis = Math.max(proxyTimeoutMillis, proxyIdleTimeoutMillis);
    }

    static JettyUpstream start(ForwardSettings settings) {
        // Bounded; more threads than CPUs only so the selector can hand a ready connection to a spare thread
        // instead of running every callback itself (the callbacks never block).
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, 4 * ProxyThreads.size()), 2, 60_000);
        threads.setName("spillway-proxy-jetty");
        threads.setDaemon(true); // a forgotten close() must not keep a container from exiting
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setExecutor(threads);
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        // No header field cache: Jetty gives each connection's parser its own (an ArrayTrie of 1024 entries, about
        // 98 KB of char[]), kept while the connection is pooled. A proxying server holds up to proxyMaxRelays
        // connections per peer: at the default, 12 MB per peer for a cache of the peers' few repeated headers.
        // (Found in issue 11's heap dump of a proxying server that ran out of its 256 MB.)
        transport.setHeaderCacheSize(0);
        HttpClient c = new HttpClient(transport);
        c.setExecutor(threads);
        c.setScheduler(new ScheduledExecutorScheduler("spillway-proxy-jetty-timer", true));
        c.setConnectTimeout(settings.connectTimeoutMillis());
        // A pooled connection idle this long is closed by us, before the peer's own keep-alive timeout (Tomcat's
        // default is 20 s, Jetty's 30 s) can race a request onto it: this client, rightly, never resends one.
        c.setIdleTimeout(POOLED_IDLE_MILLIS);
        c.setFollowRedirects(false);
        c.setUserAgentField(null);
        c.setDefaultRequestContentType(null);
        c.setHttpCookieStore(new HttpCookieStore.Empty());
        // One connection per relay: RelayLimit keeps at most proxyMaxRelays in flight to a peer, so none waits in
        // the client's queue for a connection. The queue's own bound (Jetty's default is 1024 per peer, each entry
        // holding a whole exchange) is set to the same figure as a second line, should a connection be slow to open.
        c.setMaxConnectionsPerDestination(settings.proxyMaxRelays());
        c.setMaxRequestsQueuedPerDestination(settings.proxyMaxRelays());
        c.setUseInputDirectByteBuffers(false);
        c.setUseOutputDirectByteBuffers(false);
        try {
            c.start();
        } catch (Exception e) {
            try {
                c.stop(); // whatever threads it did start
            } catch (Exception ignored) {
                // reported below
            }
            throw new IllegalStateException("cannot start the proxy's HTTP client: " + e, e);
        }
        // As Jetty's own ProxyServlet: bodies pass undecoded, and 401/407/3xx/100/101 go to the client untouched.
        c.getContentDecoderFactories().clear();
        c.getProtocolHandlers().clear();
        return new JettyUpstream(c, settings.proxyTimeoutMillis(), settings.proxyIdleTimeoutMillis());
    }

    @Override
    public void preconnect(URI peer, int connections) {
        // Failures end in the returned future and are dropped: the first moved request finds out for itself.
        client.resolveDestination(client.newRequest(peer)).getConnectionPool().preCreateConnections(connections);
    }

    @Override
    public Call newCall(URI target, String method, ClientBodyPublisher body) {
        if (!method.equals(method.toUpperCase(Locale.ENGLISH))) {
            // Jetty's Request.method upper-cases the name, and method names are case-sensitive: "get" is not GET.
            throw new IllegalArgumentException("the Jetty HTTP client would send method '" + method + "' as '"
                    + method.toUpperCase(Locale.ENGLISH) + "'");
        }
        Request request = client.newRequest(target).method(method).version(HttpVersion.HTTP_1_1)
                .idleTimeout(exchangeIdleMillis, TimeUnit.MILLISECONDS); // while the exchange runs
        HttpFields.Mutable headers = HttpFields.build();
        return new Call() {
            @Override
            public void header(String name, String value) {
                headers.add(name, value);
            }

            @Override
            public void send(ProxyExchange exchange) {
                if (body != null) {
                    if (body.contentLength() < 0) {
                        // Jetty frames a body of unknown length as chunked only for POST and PUT (or when told so):
                        // for any other method it sends no framing header at all, and the body's bytes would reach
                        // the peer as the next request on the connection.
                        headers.put("Transfer-Encoding", "chunked");
                    }
                    request.body(new BodyContent(body));
                }
                request.headers(h -> h.add(headers));
                new JettyExchange(request, exchange).send();
                exchange.abortUpstreamWith(() -> request.abort(new java.io.IOException("the client left")));
            }
        };
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            System.getLogger(JettyUpstream.class.getName()).log(System.Logger.Level.WARNING,
                    "Spillway proxy: stopping the HTTP client failed", e);
        }
    }

    /** One request's listeners: response head and body to the exchange and its relay, the outcome at the end. */
    private final class JettyExchange implements Flow.Subscription {
        private final Request request;
        private final ProxyExchange exchange;
        private volatile boolean begun; // the request was given a connection: from here on, bytes may go upstream
        private volatile Scheduler.Task headTimer;
        private volatile ServerResponseRelay relay;
        // Body reading, one chunk at a time: the relay asks (request), we read and hand it over (onNext).
        private Content.Source source; // guarded by this
        private Content.Chunk held; // guarded by this: handed to the relay, released when it asks for the next
        private boolean wanted; // guarded by this

        JettyExchange(Request request, ProxyExchange exchange) {
            this.request = request;
            this.exchange = exchange;
        }

        void send() {
            request.onRequestBegin(r -> begun = true)
                    .onResponseHeaders(this::onHeaders)
                    .onResponseContentSource(this::onContentSource);
            headTimer = client.getScheduler().schedule(
                    () -> request.abort(new UpstreamTimeout(proxyTimeoutMillis)), proxyTimeoutMillis,
                    TimeUnit.MILLISECONDS);
            request.send(this::onComplete);
        }

        private void onHeaders(Response response) {
            cancelHeadTimer();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (HttpField f : response.getHeaders()) {
                headers.computeIfAbsent(f.getName(), k -> new java.util.ArrayList<>(1)).add(f.getValue());
            }
            ServerResponseRelay r;
            try {
                r = exchange.head(response.getStatus(), headers);
            } catch (RuntimeException e) {
                request.abort(e); // reaches onComplete, then the exchange
                return;
            }
            relay = r;
            r.onSubscribe(this);
        }

        private void onContentSource(Response response, Content.Source s) {
            synchronized (this) {
                source = s;
                if (!wanted) {
                    return;
                }
            }
            read();
        }

        @Override
        public void request(long n) {
            Content.Chunk done;
            Content.Source s;
            synchronized (this) {
                done = held;
                held = null;
                wanted = true;
                s = source;
            }
            if (done != null) {
                done.release(); // everything handed over so far was written to the client
            }
            if (s != null) {
                read();
            }
        }

        // Called only while the relay wants a chunk and none is on its way: from request, or a demand callback.
        private void read() {
            Content.Source s;
            synchronized (this) {
                s = source;
            }
            while (true) {
                Content.Chunk c = s.read();
                if (c == null) {
                    s.demand(this::read);
                    return;
                }
                if (Content.Chunk.isFailure(c)) {
                    return; // the response fails: onComplete reports it
                }
                if (!c.hasRemaining()) {
                    c.release();
                    if (c.isLast()) {
                        return; // onComplete follows
                    }
                    continue;
                }
                synchronized (this) {
                    held = c;
                    wanted = false;
                }
                relay.onNext(List.of(c.getByteBuffer()));
                return;
            }
        }

        @Override
        public void cancel() {
            request.abort(new java.io.IOException("the client went away"));
        }

        private void onComplete(Result result) {
            cancelHeadTimer();
            ServerResponseRelay r = relay;
            if (r != null) {
                if (result.isSucceeded()) {
                    r.onComplete();
                } else {
                    r.onError(result.getFailure());
                }
                // The relay releases nothing itself: the last chunk goes back to the pool once it was written.
                r.getBody().whenComplete((v, t) -> releaseHeld());
                return;
            }
            Throwable failure = result.getFailure();
            if (failure == null) {
                failure = new java.io.IOException("the exchange ended without a response head");
            }
            exchange.failedBeforeHead(!begun ? new UpstreamNotReached(failure)
                    // Jetty's generator refuses what it cannot write (headers over its limit, an invalid field)
                    // with an IllegalArgumentException before writing a byte: the client's request is at fault.
                    : Failures.has(failure, IllegalArgumentException.class) ? new UpstreamRefused(failure) : failure);
        }

        private void releaseHeld() {
            Content.Chunk c;
            synchronized (this) {
                c = held;
                held = null;
            }
            if (c != null) {
                c.release();
            }
        }

        private void cancelHeadTimer() {
            Scheduler.Task t = headTimer;
            if (t != null) {
                t.cancel();
            }
        }
    }

    /**
     * The client's request body as Jetty request content: reads from the {@link ClientBodyPublisher}, one chunk at a
     * time, subscribing only when Jetty first asks for content (once it has a connection), so a peer that cannot be
     * reached leaves the body untouched for local service. Not rewindable: the body is never sent twice.
     */
    private static final class BodyContent implements Request.Content, Flow.Subscriber<ByteBuffer> {
        private final ClientBodyPublisher publisher;
        private Flow.Subscription subscription; // guarded by this
        private ByteBuffer ready; // guarded by this
        private boolean requested; // guarded by this
        private boolean complete; // guarded by this
        private Throwable failure; // guarded by this
        private Runnable demand; // guarded by this

        BodyContent(ClientBodyPublisher publisher) {
            this.publisher = publisher;
        }

        @Override
        public String getContentType() {
            return null; // the client's own Content-Type header, if it sent one, is copied like any other
        }

        @Override
        public long getLength() {
            return publisher.contentLength();
        }

        @Override
        public Content.Chunk read() {
            Flow.Subscription ask;
            synchronized (this) {
                if (failure != null) {
                    return Content.Chunk.from(failure, true);
                }
                if (ready != null) {
                    ByteBuffer b = ready;
                    ready = null;
                    return Content.Chunk.from(b, false);
                }
                if (complete) {
                    return Content.Chunk.EOF;
                }
                ask = ask();
            }
            request(ask);
            synchronized (this) { // the publisher may have answered on this thread
                if (ready != null) {
                    ByteBuffer b = ready;
                    ready = null;
                    return Content.Chunk.from(b, false);
                }
                if (failure != null) {
                    return Content.Chunk.from(failure, true);
                }
                return complete ? Content.Chunk.EOF : null;
            }
        }

        @Override
        public void demand(Runnable callback) {
            Flow.Subscription ask;
            synchronized (this) {
                if (ready == null && !complete && failure == null) {
                    demand = callback;
                    ask = ask();
                    callback = null;
                } else {
                    ask = null;
                }
            }
            request(ask);
            if (callback != null) {
                callback.run();
            }
        }

        // Under the lock: the subscription to ask for one more chunk, or null when one is already on its way.
        private Flow.Subscription ask() {
            if (requested) {
                return null;
            }
            requested = true;
            if (subscription == null) {
                publisher.subscribe(this); // onSubscribe sets it, on this thread
            }
            return subscription;
        }

        private static void request(Flow.Subscription s) {
            if (s != null) {
                s.request(1);
            }
        }

        @Override
        public void fail(Throwable cause) {
            Flow.Subscription s;
            synchronized (this) {
                s = subscription;
                if (failure == null) {
                    failure = cause;
                }
            }
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public boolean rewind() {
            return false;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            synchronized (this) {
                subscription = s;
            }
        }

        @Override
        public void onNext(ByteBuffer item) {
            Runnable d;
            synchronized (this) {
                ready = item;
                requested = false;
                d = demand;
                demand = null;
            }
            if (d != null) {
                d.run();
            }
        }

        @Override
        public void onError(Throwable t) {
            Runnable d;
            synchronized (this) {
                failure = t;
                d = demand;
                demand = null;
            }
            if (d != null) {
                d.run();
            }
        }

        @Override
        public void onComplete() {
            Runnable d;
            synchronized (this) {
                complete = true;
                d = demand;
                demand = null;
            }
            if (d != null) {
                d.run();
            }
        }
    }
}
