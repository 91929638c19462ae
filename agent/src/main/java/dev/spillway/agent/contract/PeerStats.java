package dev.spillway.agent.contract;

import javax.management.ConstructorParameters;

/** Per-peer forwarding counters of one filter, as shown in its MXBean (one row per configured peer). */
public final class PeerStats {
    private final String peer;
    private final long moved;
    private final long failed;
    private final long fellBack;
    private final double meanLatencyMillis;
    private final boolean suspect;

    @ConstructorParameters({"peer", "moved", "failed", "fellBack", "meanLatencyMillis", "suspect"})
    public PeerStats(String peer, long moved, long failed, long fellBack, double meanLatencyMillis, boolean suspect) {
        this.peer = peer;
        this.moved = moved;
        this.failed = failed;
        this.fellBack = fellBack;
        this.meanLatencyMillis = meanLatencyMillis;
        this.suspect = suspect;
    }

    /** The peer's id as configured in {@code peers}. */
    public String getPeer() { return peer; }
    /** Requests moved to this peer (redirects sent, or proxied exchanges completed). */
    public long getMoved() { return moved; }
    /** Proxied requests that failed after a byte went upstream (answered 502/504 or closed). */
    public long getFailed() { return failed; }
    /** Requests chosen for this peer but served locally because it could not be reached. */
    public long getFellBack() { return fellBack; }
    /** Mean time to the peer's response head, ms; NaN when nothing was proxied yet. */
    public double getMeanLatencyMillis() { return meanLatencyMillis; }
    /** True while the peer is skipped after a failure (back-off). */
    public boolean isSuspect() { return suspect; }
}
