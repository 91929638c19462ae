package dev.spillway.filter.forward;

import dev.spillway.agent.contract.PeerStats;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import dev.spillway.filter.peers.ThisHost;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The forwarding side of one filter instance: the two forwarders, peer health and per-peer counters, sharing one
 * lazily created HTTP client (the one {@link ForwardSettings#PROXY_CLIENT} names). Create it in the filter's
 * {@code init}, {@link #close} it in {@code destroy}.
 *
 * <p>The filter must be mapped for the REQUEST and ASYNC dispatcher types and be {@code async-supported}: when a
 * proxied request's peer cannot be reached before anything was sent, the request is dispatched again (ASYNC) with
 * {@link #FALLBACK_ATTRIBUTE} set, and the filter must then simply call {@code chain.doFilter} (see
 * {@link #isFallbackDispatch}).
 */
public final class Forwarding implements AutoCloseable {
    /** Request attribute set on the ASYNC re-dispatch that asks the filter to serve the request locally. */
    public static final String FALLBACK_ATTRIBUTE = "dev.spillway.filter.forward.fallback";

    private final ForwardSettings settings;
    private final PeerHealth health;
    private final PeerCounters counters;
    private final RedirectTargetCheck redirectTargetCheck;
    private final RedirectForwarder redirect;
    private final ProxyForwarder proxy;
    private final InBandLoad inBand;
    private final PeerStanding standing;
    private final RelayLimit relays;
    private final IdleTimer idleTimer = new IdleTimer();
    private final Object clientLock = new Object();
    private final Executor givenExecutor;
    private final List<Peer> peers;
    private final AtomicBoolean proxyPrepared = new AtomicBoolean();
    private volatile UpstreamClient client;
    private boolean closed; // under clientLock

    private Forwarding(ForwardSettings settings, HopMarker hopMarker, List<Peer> peers, Executor clientExecutor,
            InBandLoad inBand) {
        this.settings = settings;
        this.inBand = inBand;
        this.standing = new PeerStanding(peers, settings.peerFullHoldMillis(), System::nanoTime);
        inBand.onBackedUpOrigin(standing::movedHereWhileBackedUp);
        this.givenExecutor = clientExecutor;
        this.peers = List.copyOf(peers);
        this.health = new PeerHealth(peers, settings.suspectBackoffMillis(), System::nanoTime);
        this.counters = new PeerCounters(peers, health);
        this.redirectTargetCheck = new RedirectTargetCheck(peers, health, settings.redirectCheckIntervalMillis(),
                settings.connectTimeoutMillis(), System::nanoTime);
        this.redirect = new RedirectForwarder(hopMarker, counters, redirectTargetCheck, inBand);
        this.relays = new RelayLimit(settings.proxyMaxRelays());
        this.proxy = new ProxyForwarder(this::client, settings, hopMarker, health, counters, idleTimer, inBand,
                standing, relays);
    }

    /** With no identity and no load to tell peers (tests and benchmarks of the forwarding alone). */
    public static Forwarding create(ForwardSettings settings, HopMarker hopMarker, List<Peer> peers) {
        return create(settings, hopMarker, peers, ThisHost.UNKNOWN, LocalLoad.UNKNOWN);
    }

    /**
     * @param self this host's id, which moved requests name as their origin and under which this host answers
     *     requests proxied to it
     * @param load this server's pool, which moved requests carry and proxied requests are answered with
     */
    public static Forwarding create(ForwardSettings settings, HopMarker hopMarker, List<Peer> peers, ThisHost self,
            LocalLoad load) {
        return new Forwarding(settings, hopMarker, peers, null,
                new InBandLoad(hopMarker, self, load, System::currentTimeMillis));
    }

    /**
     * As {@link #create(ForwardSettings, HopMarker, List)} with the executor the JDK HTTP client runs its callbacks
     * on (for benchmarks and tests; the callbacks never block; the Jetty client ignores it). {@code null}: a small
     * pool of the client's own, sized for the box and shut down by {@link #close}.
     */
    public static Forwarding create(ForwardSettings settings, HopMarker hopMarker, List<Peer> peers,
            Executor clientExecutor) {
        return new Forwarding(settings, hopMarker, peers, clientExecutor,
                new InBandLoad(hopMarker, ThisHost.UNKNOWN, LocalLoad.UNKNOWN, System::currentTimeMillis));
    }

    /** True for the ASYNC dispatch by which a forwarder asks for local service after a failed connect. */
    public static boolean isFallbackDispatch(ServletRequest request) {
        return request.getDispatcherType() == DispatcherType.ASYNC
                && request.getAttribute(FALLBACK_ATTRIBUTE) != null;
    }

    public Forwarder redirect() {
        return redirect;
    }

    public Forwarder proxy() {
        return proxy;
    }

    /** A suspect peer failed recently and is skipped until its back-off ends. */
    public boolean isSuspect(Peer peer) {
        return health.isSuspect(peer);
    }

    /**
     * True if a request may be moved to {@code peer} now: it is not suspect, and its own last answer did not say it
     * was full ({@link PeerStanding}).
     */
    public boolean isAvailable(Peer peer) {
        return !health.isSuspect(peer) && !standing.isFull(peer);
    }

    /** The peers' own reports of their room (proxy mode), and the peers that moved requests here while backed up. */
    public PeerStanding standing() {
        return standing;
    }

    /** In-band load: call {@link InBandLoad#arrived} for every request; origins' loads as seen here. */
    public InBandLoad inBand() {
        return inBand;
    }

    /** Proxied requests to {@code peer} in flight now (at most {@link ForwardSettings#proxyMaxRelays}). */
    public int relaysInFlight(Peer peer) {
        return relays.inFlight(peer);
    }

    public PeerCounters counters() {
        return counters;
    }

    /** One row per configured peer, for the filter MXBean. */
    public List<PeerStats> stats() {
        return counters.snapshot();
    }

    public ForwardSettings settings() {
        return settings;
    }

    /** Connections opened to each peer by {@link #prepareProxy}: a few pages' worth of a peer's share at once. */
    static final int PRECONNECT_PER_PEER = 4;

    /**
     * A PROXY directive or permit is in force: starts the relay's HTTP client and opens connections to every peer
     * now, once, on a thread of its own. Made lazily on the first moved request instead, the client's start (its
     * threads, a few hundred classes, cold code) and the first connections fell on requests of a server that was
     * overloaded at that very moment: hundreds of ms each in the hotspot benchmark's first seconds, and the queue
     * built meanwhile took seconds to drain. Costs a volatile read per request after the first.
     */
    public void prepareProxy() {
        if (proxyPrepared.get() || !proxyPrepared.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(this::openPeerConnections, "spillway-proxy-prepare");
        t.setDaemon(true);
        t.start();
    }

    private void openPeerConnections() {
        try {
            UpstreamClient c = client();
            for (Peer p : peers) {
                c.preconnect(p.baseUri(), PRECONNECT_PER_PEER);
            }
        } catch (RuntimeException e) {
            // closed meanwhile, or the client cannot start: the first proxied request reports it (NO_PROXY_CLIENT)
        }
    }

    // The client exists only once proxying is in force: redirect-only filters start no thread.
    private UpstreamClient client() {
        UpstreamClient c = client;
        if (c == null) {
            synchronized (clientLock) {
                if (closed) {
                    throw new IllegalStateException("forwarding is closed");
                }
                c = client;
                if (c == null) {
                    c = switch (settings.proxyClient()) {
                        case JDK -> new JdkUpstream(settings, givenExecutor);
                        case JETTY -> JettyUpstream.start(settings);
                    };
                    client = c;
                }
            }
        }
        return c;
    }

    /**
     * Stops the redirect target check, closes the HTTP client and stops its threads. (An executor passed to
     * {@link #create(ForwardSettings, HopMarker, List, Executor)} is the caller's to shut down.)
     */
    @Override
    public void close() {
        redirectTargetCheck.close();
        idleTimer.close();
        UpstreamClient c;
        synchronized (clientLock) {
            closed = true;
            c = client;
            client = null;
        }
        if (c != null) {
            c.close();
        }
    }
}
