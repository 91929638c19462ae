package dev.spillway.filter;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed, short-lived mark a moved request carries so the peer serves it itself and never moves it again.
 *
 * <p>Token: {@code <expiryEpochMillis>.<base64url(target)>.<base64url(HMAC-SHA256(secret, ...))>}. The HMAC covers
 * the expiry, the target peer id, the method, and the raw path and query of the URL the request was sent to (the query
 * without the marker itself; both in {@link HopSignedForm}). So a marker is good for one request line on one host: it
 * cannot exempt another page, another query, another method, or the same page on another host, and it expires
 * after {@code hopTtl}. Raw URL rather than the servlet path, because the raw URL is what both ends see alike: a
 * container may map {@code /catalog/} to {@code /catalog/index.html} before any filter runs (Tomcat's welcome files)
 * while another does not (Jetty).
 *
 * <p>Proxied requests carry it in the {@value #HEADER} header, redirects in the {@value #QUERY_PARAM} query parameter
 * (a client that follows a redirect cannot be told to add a header). A missing, malformed, expired, foreign or
 * forged token just means "not marked": the request is judged like any other. Thread-safe.
 */
public final class HopMarker {
    private static final Logger LOG = Logger.getLogger(HopMarker.class.getName());
    public static final String HEADER = "Spillway-Hop";
    public static final String QUERY_PARAM = "spillway-hop";
    /** A token from a peer whose clock runs a little ahead is still accepted within this allowance. */
    static final long CLOCK_SKEW_MILLIS = 5_000;
    /** Longest token looked at (a peer id of up to about 700 characters fits); bounds the work on hostile input. */
    static final int MAX_TOKEN_LENGTH = 1024;
    private static final String ALGORITHM = "HmacSHA256";
    private static final String VERSION = "spillway-hop/2";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Mac prototype;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final Runnable onSignature;
    private final AtomicBoolean warnedForeign = new AtomicBoolean();

    /**
     * @param secret the farm-wide shared secret (at least 16 bytes)
     * @param ttlMillis how long a token stays valid
     * @param clock epoch milliseconds (tests pass a fake)
     */
    public HopMarker(byte[] secret, long ttlMillis, LongSupplier clock) {
        this(secret, ttlMillis, clock, () -> { });
    }

    /** As the public constructor; {@code onSignature} runs for every HMAC computed (tests count them). */
    HopMarker(byte[] secret, long ttlMillis, LongSupplier clock, Runnable onSignature) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("hop secret must be at least 16 bytes");
        }
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("hop ttl must be > 0 ms");
        }
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(secret, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
        this.ttlMillis = ttlMillis;
        this.clock = clock;
        this.onSignature = onSignature;
    }

    /**
     * A fresh token for a request moved to a peer.
     *
     * @param targetId the peer's id, as this host's {@code peers} list names it
     * @param method the request's method, which the move keeps
     * @param targetUrl the absolute URL the request goes to, without the marker (e.g. {@code http://b:8080/shop/x?q=1})
     */
    public String issue(String targetId, String method, String targetUrl) {
        int authority = targetUrl.indexOf("://");
        int pathStart = targetUrl.indexOf('/', authority < 0 ? 0 : authority + 3);
        String pathAndQuery = pathStart < 0 ? "/" : targetUrl.substring(pathStart);
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        long expiry = clock.getAsLong() + ttlMillis;
        return expiry + "." + B64.encodeToString(targetId.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(mac(expiry, targetId, method, path, query));
    }

    /**
     * True only for a well-formed, unexpired token signed with our secret, issued for this host, this method and
     * exactly this path and query. Computes at most one HMAC, and none for a token that is malformed or expired. A
     * genuine marker issued for another host id is refused and logged once (a replay, or mismatched ids).
     *
     * @param rawPath the request URI as received ({@code getRequestURI()}: raw, with the context path)
     * @param rawQuery the raw query string without the marker parameter (null or "" for none)
     */
    public boolean verify(String token, ThisHost self, String method, String rawPath, String rawQuery) {
        if (token == null || rawPath == null || method == null || token.length() > MAX_TOKEN_LENGTH) {
            return false;
        }
        int dot = token.indexOf('.');
        int dot2 = dot < 0 ? -1 : token.indexOf('.', dot + 1);
        if (dot <= 0 || dot > 19 || dot2 < 0) {
            return false;
        }
        long expiry;
        try {
            expiry = Long.parseLong(token, 0, dot, 10);
        } catch (NumberFormatException e) {
            return false;
        }
        long now = clock.getAsLong();
        if (expiry < now || expiry > now + ttlMillis + CLOCK_SKEW_MILLIS) {
            return false;
        }
        String target;
        byte[] given;
        try {
            target = new String(B64D.decode(token.substring(dot + 1, dot2)), StandardCharsets.UTF_8);
            given = B64D.decode(token.substring(dot2 + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean signed = MessageDigest.isEqual(given, mac(expiry, target, method, rawPath, rawQuery));
        if (signed && !self.is(target)) {
            warnForeignOnce(target, self);
            return false; // issued for another host: never honoured here
        }
        return signed;
    }

    // A genuine marker for another id is a replay, or a farm whose ids disagree (then every moved request would be
    // moved again): say so once, naming both ids, never the token.
    private void warnForeignOnce(String target, ThisHost self) {
        if (warnedForeign.compareAndSet(false, true)) {
            LOG.warning(() -> "Spillway: a request carried a hop marker issued for peer '" + target + "', but this host"
                    + " is '" + self + "' (setting self, or agent.host.id); it is judged as unmarked. If this host is"
                    + " listed as '" + target + "' in the other hosts' peers, set self = " + target
                    + ". (Logged once.)");
        }
    }

    private byte[] mac(long expiry, String target, String method, String rawPath, String rawQuery) {
        onSignature.run();
        Mac mac;
        try {
            // A Mac is not thread-safe; cloning the keyed prototype is cheap and leaves no ThreadLocal behind
            // in container threads (which would pin the webapp's class loader after a redeploy).
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 Mac cannot be cloned", e);
        }
        // Newline-separated: no field can hold a raw newline (the id is printable ASCII, the method a token, and
        // path and query are in HopSignedForm, which escapes controls), so fields cannot be shifted into each other.
        String signed = VERSION + "\n" + expiry + "\n" + target + "\n" + method + "\n" + HopSignedForm.of(rawPath)
                + "\n" + HopSignedForm.of(rawQuery);
        return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
    }
}
