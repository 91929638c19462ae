package dev.spillway.filter.forward;

import dev.spillway.filter.peers.Peer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the peers' own answers say of their room: a peer whose last verified {@link SpareCapacity}
 * figure said it was full (no idle worker, or requests waiting) is passed over until a newer figure says it has room
 * again, or {@link ForwardSettings#PEER_FULL_HOLD} passes with no news (it gets no requests while passed over, so no answers
 * either). So a peer that fills up stops getting spills one round trip later, not one manager cycle later. The
 * answers come only in proxy mode; in both modes a peer that moves a request here while backed up is passed over the
 * same way ({@link #movedHereWhileBackedUp}).
 * Figures arrive out of order; one stamped older than the newest applied is ignored. Thread-safe; the hot path
 * reads one volatile field.
 */
public final class PeerStanding {
    private final Map<String, Standing> byPeer = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final long holdNanos;

    /** @param holdMillis {@link ForwardSettings#PEER_FULL_HOLD} */
    public PeerStanding(List<Peer> peers, long holdMillis, LongSupplier nanoClock) {
        this.holdNanos = holdMillis * 1_000_000L;
        for (Peer p : peers) {
            byPeer.put(p.id(), new Standing());
        }
        this.nanoClock = nanoClock;
    }

    /** True while the peer's newest answer said it was full, for at most the hold. */
    public boolean isFull(Peer peer) {
        Standing s = byPeer.get(peer.id());
        return s != null && s.fullUntilNanos != Long.MIN_VALUE && nanoClock.getAsLong() - s.fullUntilNanos < 0;
    }

    /** Applies a verified figure from {@code peer}. */
    void learn(Peer peer, SpareCapacity.Figure figure) {
        Standing s = byPeer.get(peer.id());
        if (s == null) {
            return;
        }
        synchronized (s) {
            if (figure.epochMillis() < s.newestMillis) {
                return;
            }
            s.newestMillis = figure.epochMillis();
            s.last = figure;
            s.fullUntilNanos = figure.full() ? nanoClock.getAsLong() + holdNanos : Long.MIN_VALUE;
        }
    }

    /**
     * A request {@code peerId} moved here arrived with a verified marker that says its pool was backed up as it moved
     * it: that peer is passed over as if it had answered full, for the hold, unless a newer answer of its own says it
     * has room. Two hot servers whose permits still name each other (they were granted before either was hot) would
     * otherwise trade their overflow until the manager's next cycle, each move landing in a backed-up pool. Works in
     * both modes: a redirect's marker reaches the peer as well as a proxied one's. An id that is not one of our peers
     * is ignored.
     */
    void movedHereWhileBackedUp(String peerId) {
        Standing s = byPeer.get(peerId);
        if (s == null) {
            return;
        }
        long until = nanoClock.getAsLong() + holdNanos;
        synchronized (s) {
            if (s.fullUntilNanos == Long.MIN_VALUE || s.fullUntilNanos - until < 0) {
                s.fullUntilNanos = until;
            }
        }
    }

    /** The newest verified figure from {@code peer}, or null if none came yet. */
    public SpareCapacity.Figure last(Peer peer) {
        Standing s = byPeer.get(peer.id());
        return s == null ? null : s.last;
    }

    private static final class Standing {
        volatile long fullUntilNanos = Long.MIN_VALUE;
        volatile SpareCapacity.Figure last;
        long newestMillis = Long.MIN_VALUE;
    }
}
