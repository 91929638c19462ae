package dev.spillway.filter.forward;

import dev.spillway.filter.peers.Peer;
import java.util.List;

/**
 * One proxied exchange's side of {@link SpareCapacity}: checks the peer's answer against the hop marker this
 * exchange sent and, if it is genuine, tells {@link PeerStanding}. Anything else (unsigned, forged, another
 * exchange's, two of them) is ignored.
 */
final class SpareAnswer {
    private final SpareCapacity spare;
    private final PeerStanding standing;
    private final Peer peer;
    private final String hopSignature;

    SpareAnswer(SpareCapacity spare, PeerStanding standing, Peer peer, String hopSignature) {
        this.spare = spare;
        this.standing = standing;
        this.peer = peer;
        this.hopSignature = hopSignature;
    }

    void learn(List<String> values) {
        if (values.size() != 1) {
            return;
        }
        SpareCapacity.Figure f = spare.verify(values.get(0), peer.id(), hopSignature, System.currentTimeMillis());
        if (f != null) {
            standing.learn(peer, f);
        }
    }
}
