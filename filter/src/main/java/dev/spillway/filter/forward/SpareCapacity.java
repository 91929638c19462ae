package dev.spillway.filter.forward;

import dev.spillway.filter.hop.HopMarker;

/**
 * The {@value #HEADER} response header: a peer's spare capacity (idle workers, requests waiting for one) as it
 * answers a request that was proxied to it, signed with the hop secret. Value:
 * {@code <idle>~<waiting>~<epochMillis>.<base64url(HMAC)>}; the HMAC covers the figures, the peer's id, the time and
 * the signature of the hop marker the request came with. So a figure is good for the one exchange it answers: taken
 * from one response and put on another, or sent by anything that does not hold the secret, it does not verify.
 * The proxying origin strips the header whatever it holds; no client ever sees it. Stateless.
 */
public final class SpareCapacity {
    /** The response header; also never passed on from a client's request. */
    public static final String HEADER = "Spillway-Spare";
    static final String HEADER_LOWER = "spillway-spare";
    private static final String VERSION = "spillway-spare/1";
    /** A figure stamped further than this from the origin's clock is stale or from a badly skewed clock. */
    static final long MAX_AGE_MILLIS = 5_000;
    /** Longest value looked at: bounds the work on hostile input. */
    private static final int MAX_VALUE_LENGTH = 128;

    private final HopMarker signer;

    public SpareCapacity(HopMarker signer) {
        this.signer = signer;
    }

    /** What a verified header says. */
    public record Figure(int idle, int waiting, long epochMillis) {
        /**
         * No idle worker, or requests already waiting: more requests would queue there. (-1: unknown.) One waiting
         * job is not enough: whenever every worker is busy, the peer's own load probe keeps one timing job in its
         * pool's queue (the pool-wait canary), which is no request turned away; a peer's valve spills only from two.
         */
        public boolean full() {
            return idle == 0 || waiting > 1;
        }
    }

    /** The header's value for the exchange whose hop marker had {@code hopSignature}, from peer {@code peerId}. */
    public String value(String peerId, int idle, int waiting, long epochMillis, String hopSignature) {
        String figures = idle + "~" + waiting + "~" + epochMillis;
        return figures + "." + signer.sign(signed(peerId, figures, hopSignature));
    }

    /**
     * The figure in {@code value} if it is well-formed, signed for this exchange by peer {@code peerId}, and stamped
     * within {@link #MAX_AGE_MILLIS} of {@code nowMillis}; null otherwise. At most one HMAC.
     */
    public Figure verify(String value, String peerId, String hopSignature, long nowMillis) {
        if (value == null || value.length() > MAX_VALUE_LENGTH || hopSignature == null) {
            return null;
        }
        int dot = value.indexOf('.');
        int t1 = value.indexOf('~');
        int t2 = t1 < 0 ? -1 : value.indexOf('~', t1 + 1);
        if (dot < 0 || t1 < 0 || t2 < 0 || t2 > dot) {
            return null;
        }
        int idle;
        int waiting;
        long millis;
        try {
            idle = Integer.parseInt(value, 0, t1, 10);
            waiting = Integer.parseInt(value, t1 + 1, t2, 10);
            millis = Long.parseLong(value, t2 + 1, dot, 10);
        } catch (NumberFormatException e) {
            return null;
        }
        if (Math.abs(nowMillis - millis) > MAX_AGE_MILLIS) {
            return null;
        }
        String figures = value.substring(0, dot);
        if (!signer.signedBy(signed(peerId, figures, hopSignature), value.substring(dot + 1))) {
            return null;
        }
        return new Figure(idle, waiting, millis);
    }

    private static String signed(String peerId, String figures, String hopSignature) {
        // Newline-separated: the id is printable ASCII, the figures digits and '~', the signature base64url.
        return VERSION + "\n" + peerId + "\n" + figures + "\n" + hopSignature;
    }
}
