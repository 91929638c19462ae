package dev.spillway.filter.directive;

import dev.spillway.filter.peers.Peer;

/** Whether a peer may be sent a request now; forwarding skips peers that failed recently. */
@FunctionalInterface
public interface PeerAvailability {
    PeerAvailability ALWAYS = peer -> true;

    boolean isAvailable(Peer peer);
}
