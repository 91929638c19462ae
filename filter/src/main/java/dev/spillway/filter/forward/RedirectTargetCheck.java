package dev.spillway.filter.forward;

import dev.spillway.filter.peers.Peer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Redirect mode cannot see a dead peer by itself: the client, not this server, connects to it, so without a check
 * every client redirected there fails until the manager notices. While redirects go to a peer (and for a while
 * after, so a peer found dead stays skipped), one daemon thread opens a TCP connection to it every interval and
 * marks it suspect when that fails within the connect timeout; the target pick then skips it and its share is served
 * here. An open connection proves only that something listens: a peer that accepts and never answers is not caught
 * here (the manager's polls catch it).
 *
 * <p>The thread starts with the first redirect (a filter that never redirects starts none) and ends with
 * {@link #close()}. On the request path a redirect costs one clock read and one volatile write.
 */
final class RedirectTargetCheck implements AutoCloseable {
    /** How long after its last redirect a peer is still checked: long enough to keep a dead one suspect. */
    private static final long KEEP_CHECKING_NANOS = 60_000_000_000L;

    private final PeerHealth health;
    private final long intervalMillis;
    private final int connectTimeoutMillis;
    private final LongSupplier nanoClock;
    private final List<Peer> peers;
    private final Map<String, AtomicLong> lastRedirect = new ConcurrentHashMap<>(); // by peer id, as PeerHealth
    private final Object lifecycle = new Object();
    private Thread thread;
    private boolean closed;

    /** @param intervalMillis 0: never check */
    RedirectTargetCheck(List<Peer> peers, PeerHealth health, long intervalMillis, long connectTimeoutMillis,
            LongSupplier nanoClock) {
        this.health = health;
        this.intervalMillis = intervalMillis;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis);
        this.nanoClock = nanoClock;
        this.peers = List.copyOf(peers);
        for (Peer p : peers) {
            lastRedirect.put(p.id(), new AtomicLong(Long.MIN_VALUE));
        }
    }

    /** Called for each redirect to {@code peer}. */
    void redirected(Peer peer) {
        AtomicLong last = lastRedirect.get(peer.id());
        if (last == null || intervalMillis == 0) {
            return;
        }
        boolean first = last.get() == Long.MIN_VALUE;
        last.setOpaque(nanoClock.getAsLong()); // a slightly stale read by the checker costs nothing
        if (first) {
            startOnce();
        }
    }

    /** One round: every recently used peer that does not accept a connection is marked suspect. */
    void checkNow() {
        long now = nanoClock.getAsLong();
        for (Peer peer : peers) {
            long last = lastRedirect.get(peer.id()).getOpaque();
            if (last != Long.MIN_VALUE && now - last < KEEP_CHECKING_NANOS && !accepts(peer)) {
                health.markSuspect(peer);
            }
        }
    }

    private boolean accepts(Peer peer) {
        String host = peer.baseUri().getHost();
        int port = peer.baseUri().getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(peer.baseUri().getScheme()) ? 443 : 80;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void startOnce() {
        synchronized (lifecycle) {
            if (thread != null || closed) {
                return;
            }
            thread = new Thread(this::run, "spillway-redirect-target-check");
            thread.setDaemon(true);
            // Not the webapp's loader: a thread must never pin an undeployed webapp.
            thread.setContextClassLoader(null);
            thread.start();
        }
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                checkNow();
                Thread.sleep(intervalMillis);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            closed = true;
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(connectTimeoutMillis + 1_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
