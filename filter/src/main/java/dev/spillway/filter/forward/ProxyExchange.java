package dev.spillway.filter.forward;

import dev.spillway.filter.Peer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One proxied request, from the moment it was sent upstream to its end: relays the peer's response head, hands
 * the body to a {@link ServerResponseRelay}, and decides what a failure means (local fallback, 502, 504 or a
 * closed connection). State lives here, not in request attributes.
 */
final class ProxyExchange implements HttpResponse.BodyHandler<Void> {
    private final HttpServletRequest clientRequest;
    private final HttpServletResponse clientResponse;
    private final AsyncContext asyncContext;
    private final Peer peer;
    private final ClientBodyPublisher clientBody; // null when the request has no body
    private final PeerHealth health;
    private final PeerCounters counters;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean headReceived = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();

    ProxyExchange(HttpServletRequest clientRequest, HttpServletResponse clientResponse, AsyncContext asyncContext,
            Peer peer, ClientBodyPublisher clientBody, PeerHealth health, PeerCounters counters) {
        this.clientRequest = clientRequest;
        this.clientResponse = clientResponse;
        this.asyncContext = asyncContext;
        this.peer = peer;
        this.clientBody = clientBody;
        this.health = health;
        this.counters = counters;
    }

    /** The peer's response head arrived: copy status and end-to-end headers, then stream the body. */
    @Override
    public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo serverResponse) {
        headReceived.set(true);
        counters.latency(peer, System.nanoTime() - startNanos);
        HttpHeaders h = serverResponse.headers();
        HopByHopHeaders hop = HopByHopHeaders.of(h.allValues("connection"));
        clientResponse.setStatus(serverResponse.statusCode());
        String via = null;
        for (Map.Entry<String, List<String>> e : h.map().entrySet()) {
            String name = e.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (hop.contains(lower) || lower.equals("content-length") || lower.startsWith(":")) {
                continue;
            }
            if (lower.equals("via")) {
                via = String.join(", ", e.getValue());
                continue;
            }
            boolean first = true;
            for (String v : e.getValue()) {
                if (first) {
                    clientResponse.setHeader(name, v);
                    first = false;
                } else {
                    clientResponse.addHeader(name, v);
                }
            }
        }
        clientResponse.setHeader("Via", via == null ? ForwardedHeaders.VIA : via + ", " + ForwardedHeaders.VIA);
        long length = -1;
        if (h.firstValue("transfer-encoding").isEmpty()) {
            // Keep the peer's framing where we can: with a length, a truncated relay is detectable by the client.
            length = h.firstValueAsLong("content-length").orElse(-1);
            int status = serverResponse.statusCode();
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
        try {
            return new ServerResponseRelay(this, clientResponse.getOutputStream(), length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The exchange ended before a response head arrived (or failed while the head was being relayed). */
    void failedBeforeHead(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (headReceived.get() && !(cause instanceof java.io.UncheckedIOException)) {
            return; // the relay owns the outcome now
        }
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        health.markSuspect(peer);
        if (isConnectFailure(cause) && (clientBody == null || !clientBody.started()) && !clientResponse.isCommitted()) {
            // Nothing went upstream and the client's body is untouched: serve it here instead.
            counters.fellBack(peer);
            clientRequest.setAttribute(Forwarding.FALLBACK_ATTRIBUTE, Boolean.TRUE);
            asyncContext.dispatch();
            return;
        }
        counters.failed(peer);
        boolean timeout = cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException);
        answerError(timeout ? HttpServletResponse.SC_GATEWAY_TIMEOUT : HttpServletResponse.SC_BAD_GATEWAY);
    }

    void upstreamFailedAfterHead(Throwable failure) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        health.markSuspect(peer);
        counters.failed(peer);
        Throwable cause = unwrap(failure);
        answerError(cause instanceof HttpTimeoutException ? HttpServletResponse.SC_GATEWAY_TIMEOUT
                : HttpServletResponse.SC_BAD_GATEWAY);
    }

    void completed() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        counters.moved(peer);
        health.markHealthy(peer);
        asyncContext.complete();
    }

    void clientGone(Throwable failure) {
        if (!ended.compareAndSet(false, true)) {
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
        asyncContext.complete();
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean isConnectFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpConnectTimeoutException || c instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
