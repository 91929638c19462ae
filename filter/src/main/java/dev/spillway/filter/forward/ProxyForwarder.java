package dev.spillway.filter.forward;

import dev.spillway.settings.TrustedProxies;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Moves a request by streaming it to the peer and the peer's response back, through this server: an async servlet
 * cycle on the client side, an asynchronous {@link UpstreamClient} on the peer side, so no container thread
 * waits on the peer. The pipeline: check the client's framing → build the proxy request (target, end-to-end
 * headers, forwarding headers, hop marker, streamed body) → send → relay the server response (see
 * {@link ProxyExchange}).
 */
public final class ProxyForwarder implements Forwarder {
    // Set by the HTTP client itself (from the URI and the body's length); never copied.
    private static final Set<String> CLIENT_OWNED = Set.of("host", "content-length", "expect");
    // Never passed on from a client: X-Request-Start is a front proxy's arrival stamp, which a peer that trusts
    // this host would read as queue delay (a forged one takes the peer out as a target); Proxy is the "httpoxy"
    // header (CGI-style code reads it as HTTP_PROXY). Via is set by ForwardedHeaders from here alone.
    // Spillway-Spare is a peer's signed answer to us; a client's copy is dropped so it can never be passed off as one.
    private static final Set<String> NEVER_FORWARDED = Set.of("x-request-start", "proxy",
            SpareCapacity.HEADER_LOWER);

    private final Supplier<UpstreamClient> upstream;
    private final HopMarker hopMarker;
    private final PeerHealth health;
    private final PeerCounters counters;
    private final TrustedProxies trustedProxies;
    private final IdleTimer idleTimer;
    private final long idleTimeoutMillis;
    private final long maxDurationMillis;
    private final InBandLoad inBand;
    private final PeerStanding standing;
    private final RelayLimit relays;

    ProxyForwarder(Supplier<UpstreamClient> upstream, ForwardSettings settings, HopMarker hopMarker,
            PeerHealth health, PeerCounters counters, IdleTimer idleTimer, InBandLoad inBand, PeerStanding standing,
            RelayLimit relays) {
        this.relays = relays;
        this.inBand = inBand;
        this.standing = standing;
        this.idleTimer = idleTimer;
        this.idleTimeoutMillis = settings.proxyIdleTimeoutMillis();
        this.maxDurationMillis = settings.proxyMaxDurationMillis();
        this.upstream = upstream;
        this.hopMarker = hopMarker;
        this.health = health;
        this.counters = counters;
        this.trustedProxies = settings.trustedProxies();
    }

    @Override
    public ForwardResult forward(HttpServletRequest clientRequest, HttpServletResponse clientResponse,
            FilterChain chain, Peer peer, String checkedPath) throws IOException {
        if (clientResponse.isCommitted()) {
            return ForwardResult.RESPONSE_COMMITTED;
        }
        if (!clientRequest.isAsyncSupported()) {
            return ForwardResult.NO_ASYNC_SUPPORT;
        }
        RequestFraming framing = RequestFraming.of(clientRequest);
        if (framing.kind == RequestFraming.Kind.INVALID) {
            // Two parsers that disagree on where a body ends is how requests are smuggled: refuse, never forward.
            clientResponse.setHeader("Connection", "close");
            clientResponse.sendError(HttpServletResponse.SC_BAD_REQUEST, "Ambiguous request framing: " + framing.problem);
            return ForwardResult.TAKEN;
        }
        if (!relays.tryAcquire(peer)) {
            return ForwardResult.RELAYS_FULL; // the peer is slow to answer: serve it here rather than hold it
        }
        boolean handedOver = false;
        try {
            ForwardResult result = relay(clientRequest, clientResponse, peer, checkedPath, framing);
            handedOver = result.taken();
            return result;
        } finally {
            if (!handedOver) {
                relays.release(peer); // declined (or failed) before an exchange took the slot
            }
        }
    }

    // With a relay slot for the peer; from a TAKEN result on, the exchange gives the slot back when it ends.
    private ForwardResult relay(HttpServletRequest clientRequest, HttpServletResponse clientResponse, Peer peer,
            String checkedPath, RequestFraming framing) {
        ClientBodyPublisher clientBody = framing.hasBody()
                ? new ClientBodyPublisher(clientRequest, framing.kind == RequestFraming.Kind.LENGTH ? framing.length : -1)
                : null;
        UpstreamClient.Call proxyRequest;
        String hop;
        try {
            URI target = URI.create(PeerTarget.url(peer, checkedPath, clientRequest.getQueryString()));
            hop = hopMarker.issue(peer.id(), clientRequest.getMethod(), target.toString(), inBand.origin(true));
            proxyRequest = proxyRequest(clientRequest, target, clientBody, hop);
        } catch (IllegalArgumentException unusable) {
            return ForwardResult.UNSENDABLE; // e.g. a method name the HTTP client refuses: serve it here
        } catch (IllegalStateException noClient) {
            return ForwardResult.NO_PROXY_CLIENT; // serve it here, never fail the request for it
        }
        AsyncContext asyncContext = clientRequest.startAsync(clientRequest, clientResponse);
        // A bound on the whole exchange, behind our own timeouts (proxyTimeout, proxyIdleTimeout).
        asyncContext.setTimeout(maxDurationMillis);
        ProxyExchange exchange = new ProxyExchange(clientRequest, clientResponse, asyncContext, peer, clientBody,
                health, counters, idleTimer, idleTimeoutMillis,
                new SpareAnswer(inBand.spare(), standing, peer, hop.substring(hop.lastIndexOf('.') + 1)),
                inBand.localWaiting(), () -> relays.release(peer));
        asyncContext.addListener(exchange.asyncListener());
        try {
            proxyRequest.send(exchange);
        } catch (RuntimeException refused) {
            // Refused before anything was sent (the async cycle has started: it must be ended here).
            exchange.failedBeforeHead(new UpstreamRefused(refused));
        }
        return ForwardResult.TAKEN;
    }

    private UpstreamClient.Call proxyRequest(HttpServletRequest clientRequest, URI target,
            ClientBodyPublisher clientBody, String hopToken) {
        UpstreamClient.Call b = upstream.get().newCall(target, clientRequest.getMethod(), clientBody);
        HopByHopHeaders hop = HopByHopHeaders.of(clientRequest.getHeaders("Connection"));
        for (String name : Collections.list(clientRequest.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (hop.contains(lower) || CLIENT_OWNED.contains(lower) || NEVER_FORWARDED.contains(lower)
                    || ForwardedHeaders.isReplaced(lower)
                    || lower.equals(HopMarker.HEADER.toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : Collections.list(clientRequest.getHeaders(name))) {
                b.header(name, value);
            }
        }
        ForwardedHeaders.write(clientRequest, trustedProxies, b::header);
        b.header(HopMarker.HEADER, hopToken);
        return b;
    }
}
