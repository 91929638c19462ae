package dev.spillway.filter.forward;

import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Moves a request by answering {@code 307 Temporary Redirect} to the same path on the peer. 307 (not 302) keeps
 * the method and body. The Location is built only from the configured peer, the checked path and the raw query
 * (see {@link PeerTarget}), plus a signed hop marker in the query so the peer serves the request itself.
 * {@code Cache-Control: no-store} because the redirect reflects this moment's load, not the resource.
 */
public final class RedirectForwarder implements Forwarder {
    private final HopMarker hopMarker;
    private final PeerCounters counters;
    private final RedirectTargetCheck targetCheck;
    private final InBandLoad inBand;

    RedirectForwarder(HopMarker hopMarker, PeerCounters counters, RedirectTargetCheck targetCheck,
            InBandLoad inBand) {
        this.inBand = inBand;
        this.hopMarker = hopMarker;
        this.counters = counters;
        this.targetCheck = targetCheck;
    }

    @Override
    public ForwardResult forward(HttpServletRequest clientRequest, HttpServletResponse clientResponse,
            FilterChain chain, Peer peer, String checkedPath) {
        if (clientResponse.isCommitted()) {
            return ForwardResult.RESPONSE_COMMITTED;
        }
        String target = PeerTarget.url(peer, checkedPath, clientRequest.getQueryString());
        String location = PeerTarget.urlWithHop(peer, checkedPath, clientRequest.getQueryString(),
                hopMarker.issue(peer.id(), clientRequest.getMethod(), target, inBand.origin(false)));
        clientResponse.resetBuffer();
        clientResponse.setStatus(HttpServletResponse.SC_TEMPORARY_REDIRECT);
        clientResponse.setHeader("Location", location);
        clientResponse.setHeader("Cache-Control", "no-store");
        clientResponse.setContentLength(0);
        counters.moved(peer);
        targetCheck.redirected(peer);
        return ForwardResult.TAKEN;
    }
}
