package dev.spillway.filter.forward;

import dev.spillway.filter.peers.Peer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound on proxied requests in flight to each peer ({@link ForwardSettings#PROXY_MAX_RELAYS}). A relay holds the
 * client's request and response, the async cycle and the HTTP client's exchange until the peer's answer is relayed;
 * with no bound, a peer that answers slowly while this server is backed up collects them by the thousand (the
 * HTTP client queues 1024 per peer beyond its connections, each waiting up to {@code proxyTimeout}), and the server
 * runs out of heap. Beyond the bound a request is not moved: it is served here, as any request without a permit.
 */
final class RelayLimit {
    private final int maxPerPeer;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    RelayLimit(int maxPerPeer) {
        this.maxPerPeer = maxPerPeer;
    }

    /** Takes one of {@code peer}'s relay slots; false when all are taken (nothing is taken then). */
    boolean tryAcquire(Peer peer) {
        AtomicInteger n = count(peer);
        while (true) {
            int now = n.get();
            if (now >= maxPerPeer) {
                return false;
            }
            if (n.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryAcquire}; called exactly once per relay, when it ends. */
    void release(Peer peer) {
        count(peer).decrementAndGet();
    }

    /** Relays to {@code peer} in flight now. */
    int inFlight(Peer peer) {
        return count(peer).get();
    }

    int maxPerPeer() {
        return maxPerPeer;
    }

    private AtomicInteger count(Peer peer) {
        return inFlight.computeIfAbsent(peer.id(), k -> new AtomicInteger());
    }
}
