package dev.spillway.filter.forward;

import dev.spillway.filter.peers.Peer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Which peers are "suspect": a peer that failed is skipped until its back-off ends, so a dead peer costs one
 * connect timeout, not one per request. After the back-off the next request tries it again. Lock-free: one
 * {@code AtomicLong} deadline per peer, read with a plain volatile load on the hot path.
 */
public final class PeerHealth {
    private final Map<String, AtomicLong> suspectUntil = new ConcurrentHashMap<>();
    private final long backoffMillis;
    private final LongSupplier nanoClock;

    public PeerHealth(List<Peer> peers, long backoffMillis, LongSupplier nanoClock) {
        for (Peer p : peers) {
            suspectUntil.put(p.id(), new AtomicLong(Long.MIN_VALUE));
        }
        this.backoffMillis = backoffMillis;
        this.nanoClock = nanoClock;
    }

    public boolean isSuspect(Peer peer) {
        AtomicLong until = suspectUntil.get(peer.id());
        if (until == null) {
            return false;
        }
        // One read: a markHealthy between two reads would compare the clock with MIN_VALUE and call a healthy
        // peer suspect. nanoTime values are compared by difference: they may wrap or be negative.
        long deadline = until.get();
        return deadline != Long.MIN_VALUE && nanoClock.getAsLong() - deadline < 0;
    }

    /** Starts (or extends) the peer's back-off. */
    public void markSuspect(Peer peer) {
        AtomicLong until = suspectUntil.computeIfAbsent(peer.id(), k -> new AtomicLong(Long.MIN_VALUE));
        until.set(nanoClock.getAsLong() + backoffMillis * 1_000_000L);
    }

    /** A completed exchange proves the peer is alive; ends any back-off early. */
    public void markHealthy(Peer peer) {
        AtomicLong until = suspectUntil.get(peer.id());
        if (until != null && until.get() != Long.MIN_VALUE) {
            until.set(Long.MIN_VALUE);
        }
    }
}
