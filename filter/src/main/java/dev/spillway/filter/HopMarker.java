package dev.spillway.filter;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed, short-lived mark a moved request carries so the peer serves it itself and never moves it again.
 *
 * <p>Token: {@code <expiryEpochMillis>.<base64url(HMAC-SHA256(secret, expiry + "\n" + path))>}. It is bound to the
 * decoded path that was checked, so a token seen on one page cannot exempt another. Proxied requests carry it in
 * the {@value #HEADER} header, redirects in the {@value #QUERY_PARAM} query parameter (a client that follows a
 * redirect cannot be told to add a header). A missing, malformed, expired or forged token just means "not marked":
 * the request is judged like any other. Thread-safe.
 */
public final class HopMarker {
    public static final String HEADER = "Spillway-Hop";
    public static final String QUERY_PARAM = "spillway-hop";
    /** A token from a peer whose clock runs a little ahead is still accepted within this allowance. */
    static final long CLOCK_SKEW_MILLIS = 5_000;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Mac prototype;
    private final long ttlMillis;
    private final LongSupplier clock;

    /**
     * @param secret the farm-wide shared secret (at least 16 bytes)
     * @param ttlMillis how long a token stays valid
     * @param clock epoch milliseconds (tests pass a fake)
     */
    public HopMarker(byte[] secret, long ttlMillis, LongSupplier clock) {
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
    }

    /** A fresh token for a request to {@code path} (the decoded, checked path). */
    public String issue(String path) {
        long expiry = clock.getAsLong() + ttlMillis;
        return expiry + "." + B64.encodeToString(mac(expiry, path));
    }

    /** True only for a well-formed, unexpired token signed with our secret for exactly this path. */
    public boolean verify(String token, String path) {
        if (token == null || path == null || token.length() > 128) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > 19) {
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
        byte[] given;
        try {
            given = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(expiry, path));
    }

    private byte[] mac(long expiry, String path) {
        Mac mac;
        try {
            // A Mac is not thread-safe; cloning the keyed prototype is cheap and leaves no ThreadLocal behind
            // in container threads (which would pin the webapp's class loader after a redeploy).
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 Mac cannot be cloned", e);
        }
        return mac.doFinal((expiry + "\n" + path).getBytes(StandardCharsets.UTF_8));
    }
}
