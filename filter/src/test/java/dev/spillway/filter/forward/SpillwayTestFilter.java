package dev.spillway.filter.forward;

import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.hop.HopMarkerReader;
import dev.spillway.filter.peers.Peer;
import dev.spillway.filter.peers.ThisHost;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for OffloadFilter (written in parallel): moves every request whose method is allowed and that carries
 * no valid hop marker, the way OffloadFilter will call a {@link Forwarder}, and serves fallback dispatches locally.
 */
final class SpillwayTestFilter implements Filter {
    private final HopMarker hopMarker;
    private volatile Forwarding forwarding;
    private volatile Forwarder forwarder;
    private volatile Peer peer;
    private volatile Set<String> methods = Set.of("GET", "HEAD");
    final AtomicInteger fallbackDispatches = new AtomicInteger();
    final AtomicInteger honouredMarkers = new AtomicInteger();

    SpillwayTestFilter(HopMarker hopMarker) {
        this.hopMarker = hopMarker;
    }

    /** As OffloadFilter: {@code forwarding} says whether the peer is available (not suspect) before it is tried. */
    void moveTo(Forwarding forwarding, Forwarder forwarder, Peer peer, Set<String> methods) {
        this.forwarding = forwarding;
        this.forwarder = forwarder;
        this.peer = peer;
        this.methods = methods;
    }

    void serveLocally() {
        this.forwarder = null;
        this.peer = null;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest r = (HttpServletRequest) req;
        if (Forwarding.isFallbackDispatch(r)) {
            fallbackDispatches.incrementAndGet();
            chain.doFilter(req, resp);
            return;
        }
        if (r.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(req, resp);
            return;
        }
        String path = r.getServletPath() + (r.getPathInfo() == null ? "" : r.getPathInfo());
        if (HopMarkerReader.isValidlyMarked(r, hopMarker, ThisHost.UNKNOWN)) {
            honouredMarkers.incrementAndGet();
            chain.doFilter(req, resp);
            return;
        }
        Forwarding fw = forwarding;
        Forwarder f = forwarder;
        Peer p = peer;
        if (f == null || p == null || !methods.contains(r.getMethod()) || !fw.isAvailable(p)) {
            chain.doFilter(req, resp);
            return;
        }
        if (!f.forward(r, (HttpServletResponse) resp, chain, p, path).taken()) {
            chain.doFilter(req, resp);
        }
    }
}
