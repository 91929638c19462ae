package dev.spillway.filter.forward;

import dev.spillway.agent.contract.PeerStats;
import dev.spillway.filter.HopMarker;
import dev.spillway.filter.Peer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The forwarding side of one filter instance: the two forwarders, peer health and per-peer counters, sharing one
 * lazily created HTTP client. Create it in the filter's {@code init}, {@link #close} it in {@code destroy}.
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
    private final Object clientLock = new Object();
    private final Executor givenExecutor;
    private volatile HttpClient client;

    private Forwarding(ForwardSettings settings, HopMarker hopMarker, List<Peer> peers, Executor clientExecutor) {
        this.settings = settings;
        this.givenExecutor = clientExecutor;
        this.health = new PeerHealth(peers, settings.suspectBackoffMillis(), System::nanoTime);
        this.counters = new PeerCounters(peers, health);
        this.redirectTargetCheck = new RedirectTargetCheck(peers, health, settings.redirectCheckIntervalMillis(),
                settings.connectTimeoutMillis(), System::nanoTime);
        this.redirect = new RedirectForwarder(hopMarker, health, counters, redirectTargetCheck);
        this.proxy = new ProxyForwarder(this::client, settings, hopMarker, health, counters);
    }

    public static Forwarding create(ForwardSettings settings, HopMarker hopMarker, List<Peer> peers) {
        return new Forwarding(settings, hopMarker, peers, null);
    }

    /**
     * As {@link #create(ForwardSettings, HopMarker, List)} with the executor the HTTP client runs its callbacks on
     * (for benchmarks and tests; the callbacks never block). {@code null}: run them on the delivering thread.
     */
    public static Forwarding create(ForwardSettings settings, HopMarker hopMarker, List<Peer> peers,
            Executor clientExecutor) {
        return new Forwarding(settings, hopMarker, peers, clientExecutor);
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

    // The client exists only once a request is proxied: redirect-only filters start no thread. Its callbacks
    // (ProxyExchange, ServerResponseRelay, ClientBodyPublisher) never block, so by default they run on the thread
    // that delivers them (the client's selector thread or a container thread) instead of hopping to a pool: fewer
    // hand-offs per request, and no pool threads to leak on a redeploy.
    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (clientLock) {
                c = client;
                if (c == null) {
                    if (ForkJoinPool.getCommonPoolParallelism() < 2) {
                        // The JDK client completes every sendAsync future via CompletableFuture's default executor,
                        // which without a common pool of parallelism >= 2 starts a new thread per task.
                        System.getLogger(Forwarding.class.getName()).log(System.Logger.Level.WARNING,
                                "Spillway proxy mode: the JVM's common ForkJoinPool has parallelism "
                                        + ForkJoinPool.getCommonPoolParallelism() + " (" + Runtime.getRuntime()
                                        .availableProcessors() + " CPUs), so the JDK HttpClient starts a thread "
                                        + "per proxied request. Start the JVM with "
                                        + "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2 (or more).");
                    }
                    c = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1) // else the JDK client tries an h2c upgrade
                            .connectTimeout(Duration.ofMillis(settings.connectTimeoutMillis()))
                            .followRedirects(HttpClient.Redirect.NEVER) // the peer's redirects go to the client
                            .proxy(HttpClient.Builder.NO_PROXY) // peers are reached directly, never via a JVM proxy
                            .executor(givenExecutor != null ? givenExecutor : Runnable::run)
                            .build();
                    client = c;
                }
            }
        }
        return c;
    }

    /**
     * Stops the redirect target check and lets go of the HTTP client. (The JDK 17 client has no close(); its selector thread ends once the client is
     * unreachable and idle. An executor passed to {@link #create(ForwardSettings, HopMarker, List, Executor)} is the
     * caller's to shut down.)
     */
    @Override
    public void close() {
        redirectTargetCheck.close();
        synchronized (clientLock) {
            client = null;
        }
    }
}
