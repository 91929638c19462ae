package dev.spillway.filter.forward;

import dev.spillway.filter.peers.Peer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * One proxied request, from the moment it was sent upstream to its end: relays the peer's response head, hands
 * the body to a {@link ServerResponseRelay}, and decides what a failure means (local fallback, 502, 504 or a
 * closed connection), whichever {@link UpstreamClient} carried it. State lives here, not in request attributes.
 */
final class ProxyExchange {
    private final HttpServletRequest clientRequest;
    private final HttpServletResponse clientResponse;
    private final AsyncContext asyncContext;
    private final Peer peer;
    private final ClientBodyPublisher clientBody; // null when the request has no body
    private final PeerHealth health;
    private final PeerCounters counters;
    private final IdleTimer idleTimer;
    private final long idleTimeoutMillis;
    private volatile ServerResponseRelay relay;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean headReceived = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean slotReleased = new AtomicBoolean();
    // The container reported the client's connection failed: it ends (and may recycle) the request and response
    // itself, so they are not touched any more.
    private volatile boolean clientConnectionFailed;
    private final SpareAnswer spareAnswer;
    private final IntSupplier localWaiting;
    private PeerNameRewrite rewrite; // made on the first header that needs it, on the thread relaying the head
    private final Runnable onEnd; // gives back the relay's slot (RelayLimit) once the async cycle is over
    private volatile Runnable abortUpstream; // set by the HTTP client once the request was sent

    ProxyExchange(HttpServletRequest clientRequest, HttpServletResponse clientResponse, AsyncContext asyncContext,
            Peer peer, ClientBodyPublisher clientBody, PeerHealth health, PeerCounters counters, IdleTimer idleTimer,
            long idleTimeoutMillis, SpareAnswer spareAnswer, IntSupplier localWaiting, Runnable onEnd) {
        this.onEnd = onEnd;
        this.spareAnswer = spareAnswer;
        this.localWaiting = localWaiting;
        this.idleTimer = idleTimer;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.clientRequest = clientRequest;
        this.clientResponse = clientResponse;
        this.asyncContext = asyncContext;
        this.peer = peer;
        this.clientBody = clientBody;
        this.health = health;
        this.counters = counters;
    }

    // The one place an exchange ends, whichever way: true for the first caller only, who then owns the outcome.
    private boolean end() {
        return ended.compareAndSet(false, true);
    }

    // The async cycle is over: only now are the request, the response and the client's connection let go. Ending the
    // cycle takes one of the container's workers, so on a backed-up server a relay that has sent its last byte still
    // waits in the container's queue, holding all of that (issue 11's heap dump: 661 of 694 relays alive were such).
    // The relay's slot is given back here, so the bound covers a relay's whole life in memory.
    private void cycleOver() {
        if (slotReleased.compareAndSet(false, true)) {
            onEnd.run();
        }
    }

    /**
     * How to abort the request to the peer while no answer has begun: used when the client's connection fails
     * before the head arrived, so a relay whose client left does not wait for the peer (up to {@code proxyTimeout})
     * holding its slot and its memory.
     */
    void abortUpstreamWith(Runnable abort) {
        abortUpstream = abort;
        if (clientConnectionFailed && !headReceived.get()) {
            abort.run(); // the client left before this was set
        }
    }

    /**
     * The peer's response head arrived: copy status and end-to-end headers, then stream the body.
     *
     * @param headers the peer's response headers, keyed case-insensitively
     * @return the subscriber the client must feed the peer's response body to
     * @throws java.io.UncheckedIOException if the client's connection cannot take the body (the client must then
     *     end the exchange with it as the failure)
     */
    ServerResponseRelay head(int status, Map<String, List<String>> headers) {
        headReceived.set(true);
        counters.latency(peer, System.nanoTime() - startNanos);
        HopByHopHeaders hop = HopByHopHeaders.of(headers.getOrDefault("connection", List.of()));
        clientResponse.setStatus(status);
        String via = null;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String name = e.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (hop.contains(lower) || lower.equals("content-length") || lower.startsWith(":")) {
                continue;
            }
            if (lower.equals(SpareCapacity.HEADER_LOWER)) {
                spareAnswer.learn(e.getValue()); // ours to read, never the client's: not copied, valid or not
                continue;
            }
            if (lower.equals("via")) {
                via = String.join(", ", e.getValue());
                continue;
            }
            boolean first = true;
            for (String v : e.getValue()) {
                v = rewritten(lower, v);
                if (first) {
                    clientResponse.setHeader(name, v);
                    first = false;
                } else {
                    clientResponse.addHeader(name, v);
                }
            }
        }
        clientResponse.setHeader("Via", via == null ? ForwardedHeaders.VIA : via + ", " + ForwardedHeaders.VIA);
        if (localWaiting.getAsInt() > 0) {
            // Ending this exchange takes one of the container's threads, and requests are queued for them now: a
            // client that sent its next request on this connection would wait for that queue (the container reads
            // no further request on it until this one ended), then wait in it again. A new connection waits once.
            clientResponse.setHeader("Connection", "close");
        }
        long length = -1;
        if (!headers.containsKey("transfer-encoding")) {
            // Keep the peer's framing where we can: with a length, a truncated relay is detectable by the client.
            length = contentLength(headers.get("content-length"));
            boolean bodiless = "HEAD".equals(clientRequest.getMethod()) || status == 304 || status < 200;
            if (status == 204) {
                length = 0; // never a Content-Length on 204
            } else if (length >= 0 && !bodiless) {
                clientResponse.setContentLengthLong(length);
            } else if (length >= 0) {
                clientResponse.setHeader("Content-Length", Long.toString(length));
                length = 0; // HEAD and 304 have no body, whatever their Content-Length says
            }
        }
        ServerResponseRelay r;
        try {
            r = new ServerResponseRelay(this, clientResponse.getOutputStream(), length, idleTimer, idleTimeoutMillis);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        relay = r;
        return r;
    }

    // What names the peer in a Location, Refresh or Set-Cookie becomes what the client used.
    private String rewritten(String lowerName, String value) {
        if (!PeerNameRewrite.applies(lowerName)) {
            return value;
        }
        if (rewrite == null) {
            rewrite = new PeerNameRewrite(peer, clientRequest.getScheme(),
                    ForwardedHeaders.clientAuthority(clientRequest), clientRequest.getContextPath());
        }
        return rewrite.header(lowerName, value);
    }

    /**
     * The exchange ended before a response head arrived (or failed while the head was being relayed). An
     * {@link UpstreamNotReached} in {@code failure} says nothing went upstream, an {@link UpstreamRefused} that our
     * HTTP client refused the request before sending it; a timeout ({@link Failures#isTimeout}) means the peer did
     * not answer in time.
     */
    void failedBeforeHead(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (headReceived.get() && !(cause instanceof java.io.UncheckedIOException)) {
            return; // the relay owns the outcome now
        }
        if (!end()) {
            return;
        }
        boolean clientsFault = isClientsFault(cause);
        if (!clientsFault) {
            health.markSuspect(peer);
        }
        boolean serveHere;
        try {
            serveHere = !clientConnectionFailed && canServeHere(cause);
        } catch (RuntimeException endedByTheContainer) {
            serveHere = false; // the client's connection failed meanwhile: nothing to serve, nothing to answer
        }
        if (serveHere) {
            counters.fellBack(peer);
            clientRequest.setAttribute(Forwarding.FALLBACK_ATTRIBUTE, Boolean.TRUE);
            asyncContext.dispatch();
            return;
        }
        counters.failed(peer);
        answerError(clientsFault ? clientErrorStatus(cause)
                : gatewayError(cause));
    }

    void upstreamFailedAfterHead(Throwable failure) {
        if (!end()) {
            return;
        }
        Throwable cause = Failures.unwrap(failure);
        boolean clientsFault = isClientsFault(cause);
        if (!clientsFault) {
            health.markSuspect(peer);
        }
        if (!clientsFault && takeBackUnsentAnswer(cause)) {
            counters.fellBack(peer);
            clientRequest.setAttribute(Forwarding.FALLBACK_ATTRIBUTE, Boolean.TRUE);
            asyncContext.dispatch();
            return;
        }
        counters.failed(peer);
        answerError(gatewayError(cause));
    }

    /**
     * Whether a GET or HEAD without a body, whose peer failed after its head (a peer killed as it began to answer),
     * can still be served here: yes while nothing of the answer has left for the client (the head and any body bytes
     * are still in the container's buffer, which is then dropped). Such a request is idempotent, so serving it again
     * here is safe, and it is not lost. Never after a timeout (a peer still at work, the same rule as before the
     * head), nor once the response is committed: the client has part of an answer, and its connection is closed.
     */
    private boolean takeBackUnsentAnswer(Throwable cause) {
        String method = clientRequest.getMethod();
        if (clientConnectionFailed || clientBody != null || Failures.isTimeout(cause)
                || !(method.equals("GET") || method.equals("HEAD"))) {
            return false;
        }
        try {
            if (clientResponse.isCommitted()) {
                return false;
            }
            clientResponse.reset(); // the peer's status, headers and buffered body bytes
            return true;
        } catch (RuntimeException committedOrEnded) {
            return false; // committed meanwhile, or the container ended the cycle (the client left)
        }
    }

    /**
     * Whether the request can still be served here after all. Yes when nothing went upstream and the client's body
     * is untouched; and, whatever went upstream, for a GET or HEAD without a body whose exchange failed before any
     * response byte arrived (most often a pooled connection to a peer that died: reset, EOF or closed): such a
     * request is idempotent and nothing of an answer has reached the client. Never after a timeout (a peer that
     * accepted and is still working on it) and never once the body was (partly) read: a body is never sent twice.
     */
    private boolean canServeHere(Throwable cause) {
        if (headReceived.get() || clientResponse.isCommitted()) {
            return false;
        }
        boolean bodyUntouched = clientBody == null || !clientBody.started();
        boolean nothingSent = Failures.has(cause, UpstreamNotReached.class)
                || Failures.has(cause, UpstreamRefused.class);
        if (bodyUntouched && nothingSent) {
            return true;
        }
        String method = clientRequest.getMethod();
        return clientBody == null && (method.equals("GET") || method.equals("HEAD")) && !Failures.isTimeout(cause);
    }

    /**
     * A failure the client caused, which must not make the peer suspect (else one client could take a peer out of
     * rotation at will): our HTTP client refused its request, its body ended early or it left while sending it,
     * or the upstream timed out while waiting for more of the client's body.
     */
    private boolean isClientsFault(Throwable cause) {
        if (Failures.has(cause, UpstreamRefused.class) || clientConnectionFailed) {
            return true; // (the latter: we aborted the request to the peer because the client left)
        }
        if (headReceived.get() && cause instanceof java.io.UncheckedIOException) {
            return true; // the client's connection could not take the answer (see head)
        }
        return clientBody != null
                && (clientBody.clientFailed() || (Failures.isTimeout(cause) && clientBody.awaitingClient()));
    }

    private static int gatewayError(Throwable cause) {
        return Failures.isTimeout(cause) ? HttpServletResponse.SC_GATEWAY_TIMEOUT : HttpServletResponse.SC_BAD_GATEWAY;
    }

    private int clientErrorStatus(Throwable cause) {
        if (clientBody != null && !clientBody.clientFailed() && Failures.isTimeout(cause)) {
            return HttpServletResponse.SC_REQUEST_TIMEOUT; // the client stopped sending its body
        }
        return HttpServletResponse.SC_BAD_REQUEST;
    }

    /**
     * The client stopped taking the body for longer than the idle timeout: its fault, not the peer's. The relay
     * has stopped reading from the peer; the client's connection is closed (the response may be partly sent).
     */
    void clientStalled() {
        if (!end()) {
            return;
        }
        counters.failed(peer);
        if (clientResponse.isCommitted()) {
            ConnectionAbort.abort(asyncContext, clientResponse);
        } else {
            answerError(HttpServletResponse.SC_REQUEST_TIMEOUT);
        }
    }

    /**
     * The listener for the async cycle: its timeout ({@link ForwardSettings#PROXY_MAX_DURATION}) is a bound behind
     * our own timeouts, e.g. for a peer that trickles a byte now and then and so never trips the idle timeout; its
     * error is the client's connection failing, which ends the exchange as the client's fault.
     */
    jakarta.servlet.AsyncListener asyncListener() {
        return new jakarta.servlet.AsyncListener() {
            @Override
            public void onTimeout(jakarta.servlet.AsyncEvent event) {
                maxDurationReached();
            }

            @Override
            public void onComplete(jakarta.servlet.AsyncEvent event) {
                cycleOver();
            }

            @Override
            public void onError(jakarta.servlet.AsyncEvent event) {
                clientConnectionFailed(event.getThrowable());
            }

            @Override
            public void onStartAsync(jakarta.servlet.AsyncEvent event) {
                // A servlet serving the fallback dispatch started a new cycle, which drops the listeners: stay on
                // it, or the relay's slot would never be given back.
                event.getAsyncContext().addListener(this);
            }
        };
    }

    private void clientConnectionFailed(Throwable t) {
        clientConnectionFailed = true;
        if (clientBody != null) {
            clientBody.clientConnectionFailed(t); // the upstream fails at once instead of waiting for more body
        }
        ServerResponseRelay r = relay;
        if (r != null) {
            r.clientConnectionFailed(t);
            return;
        }
        Runnable abort = abortUpstream;
        if (abort != null && !headReceived.get()) {
            abort.run(); // ends in failedBeforeHead: nothing to answer, the peer not made suspect
        }
    }

    private void maxDurationReached() {
        if (!end()) {
            return; // already ended (ConnectionAbort lets the cycle time out on Tomcat on purpose)
        }
        ServerResponseRelay r = relay;
        if (r != null) {
            r.stopReading();
        }
        counters.failed(peer);
        if (!clientResponse.isCommitted()) {
            answerError(HttpServletResponse.SC_GATEWAY_TIMEOUT);
            return;
        }
        try {
            clientResponse.sendError(-1); // Jetty: abort the connection
            asyncContext.complete();
        } catch (IllegalStateException | IOException tomcat) {
            // Tomcat: a timed-out cycle on a committed response that nobody completes has its connection closed
        }
    }

    void completed() {
        if (!end()) {
            return;
        }
        counters.moved(peer);
        health.markHealthy(peer);
        asyncContext.complete();
    }

    void clientGone(Throwable failure) {
        if (!end()) {
            return;
        }
        // The peer did nothing wrong; the client left. Nothing to answer.
        try {
            asyncContext.complete();
        } catch (IllegalStateException alreadyEnded) {
            // the container ended the cycle itself
        }
    }

    private void answerError(int status) {
        if (clientConnectionFailed) {
            return; // the container ends the cycle itself
        }
        try {
            answer(status);
        } catch (RuntimeException endedByTheContainer) {
            // the client's connection failed meanwhile and the container ended the cycle (Tomcat recycles the
            // request and response then): there is no one to answer
        }
    }

    private void answer(int status) {
        if (clientResponse.isCommitted()) {
            ConnectionAbort.abort(asyncContext, clientResponse);
            return;
        }
        try {
            clientResponse.reset();
            clientResponse.setStatus(status);
            clientResponse.setHeader("Cache-Control", "no-store");
            // Part of the client's body may be unread: do not reuse this connection.
            clientResponse.setHeader("Connection", "close");
            clientResponse.setContentLength(0);
        } catch (IllegalStateException committedMeanwhile) {
            ConnectionAbort.abort(asyncContext, clientResponse);
            return;
        }
        try {
            asyncContext.complete();
        } catch (IllegalStateException endedByTheContainer) {
            // e.g. Tomcat ended the cycle itself after the client's connection failed
        }
    }

    private static long contentLength(List<String> values) {
        if (values == null || values.size() != 1) {
            return -1; // none, or several (refused by both clients' parsers before we get here)
        }
        try {
            return Long.parseLong(values.get(0).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
