package dev.spillway.filter.hop;

import dev.spillway.filter.peers.ThisHost;
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
 * <p>Token: {@code <expiryEpochMillis>.<base64url(target)>.<base64url(origin)>.<load>.<base64url(HMAC-SHA256(secret,
 * ...))>}, where {@code load} is {@code p} (proxied) or {@code r} (redirected) and the origin's
 * {@code waiting~busy~max} workers (see {@link Origin}). The HMAC covers the expiry, the target peer id, the origin
 * id and its load (so a peer can trust what the origin says of itself), the method, and the raw path and query of the URL the request was sent to (the query
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
    /** Longest token looked at (target and origin ids of up to about 300 characters each fit); bounds the work on hostile input. */
    static final int MAX_TOKEN_LENGTH = 1024;
    private static final String ALGORITHM = "HmacSHA256";
    private static final String VERSION = "spillway-hop/3";
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

    /** As the other constructor; {@code onSignature} runs for every HMAC computed (tests count them). */
    public HopMarker(byte[] secret, long ttlMillis, LongSupplier clock, Runnable onSignature) {
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
     * A fresh token for a request moved to a peer, carrying no load figures (as from a host that does not know its
     * own load; the peer then learns nothing from it but that the request was moved).
     *
     * @param targetId the peer's id, as this host's {@code peers} list names it
     * @param method the request's method, which the move keeps
     * @param targetUrl the absolute URL the request goes to, without the marker (e.g. {@code http://b:8080/shop/x?q=1})
     */
    public String issue(String targetId, String method, String targetUrl) {
        return issue(targetId, method, targetUrl, Origin.NONE);
    }

    /**
     * A fresh token for a request moved to a peer, with the origin's load at the moment of the move (signed with the
     * rest, so the peer can trust it).
     */
    public String issue(String targetId, String method, String targetUrl, Origin origin) {
        int authority = targetUrl.indexOf("://");
        int pathStart = targetUrl.indexOf('/', authority < 0 ? 0 : authority + 3);
        String pathAndQuery = pathStart < 0 ? "/" : targetUrl.substring(pathStart);
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        long expiry = clock.getAsLong() + ttlMillis;
        String load = origin.loadField();
        String originId = origin.id() == null ? "" : origin.id();
        return expiry + "." + B64.encodeToString(targetId.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(originId.getBytes(StandardCharsets.UTF_8)) + "." + load + "."
                + B64.encodeToString(mac(expiry, targetId, originId, load, method, path, query));
    }

    /**
     * True only for a well-formed, unexpired token signed with our secret, issued for this host, this method and
     * exactly this path and query (see {@link #read}).
     */
    public boolean verify(String token, ThisHost self, String method, String rawPath, String rawQuery) {
        return read(token, self, method, rawPath, rawQuery) != null;
    }

    /**
     * What a valid token says (who moved the request, how loaded it was, how it was moved), or null unless the token
     * is well-formed, unexpired, signed with our secret, issued for this host, this method and exactly this path and
     * query. Computes at most one HMAC, and none for a token that is malformed or expired. A genuine marker issued
     * for another host id is refused and logged once (a replay, or mismatched ids).
     *
     * @param rawPath the request URI as received ({@code getRequestURI()}: raw, with the context path)
     * @param rawQuery the raw query string without the marker parameter (null or "" for none)
     */
    public Mark read(String token, ThisHost self, String method, String rawPath, String rawQuery) {
        if (token == null || rawPath == null || method == null || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        int dot = token.indexOf('.');
        int dot2 = dot < 0 ? -1 : token.indexOf('.', dot + 1);
        int dot3 = dot2 < 0 ? -1 : token.indexOf('.', dot2 + 1);
        int dot4 = dot3 < 0 ? -1 : token.indexOf('.', dot3 + 1);
        if (dot <= 0 || dot > 19 || dot4 < 0 || token.indexOf('.', dot4 + 1) >= 0) {
            return null;
        }
        long expiry;
        try {
            expiry = Long.parseLong(token, 0, dot, 10);
        } catch (NumberFormatException e) {
            return null;
        }
        long now = clock.getAsLong();
        // Clocks may differ by up to the ttl either way: a peer whose clock is behind issues tokens that expire early
        // here (by the ttl at most), one whose clock is ahead issues tokens up to a ttl further out. Only a peer
        // with the secret sets the expiry, so the wider window lets nobody else in.
        if (expiry < now || expiry > now + 2 * ttlMillis) {
            return null;
        }
        String load = token.substring(dot3 + 1, dot4);
        Origin origin;
        String target;
        byte[] given;
        try {
            target = new String(B64D.decode(token.substring(dot + 1, dot2)), StandardCharsets.UTF_8);
            String originId = new String(B64D.decode(token.substring(dot2 + 1, dot3)), StandardCharsets.UTF_8);
            origin = Origin.parse(originId, load);
            given = B64D.decode(token.substring(dot4 + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (origin == null) {
            return null;
        }
        boolean signed = MessageDigest.isEqual(given,
                mac(expiry, target, origin.id() == null ? "" : origin.id(), load, method, rawPath, rawQuery));
        if (!signed) {
            return null;
        }
        if (!self.is(target)) {
            warnForeignOnce(target, self);
            return null; // issued for another host: never honoured here
        }
        return new Mark(origin, target, load.charAt(0) == PROXIED, token.substring(dot4 + 1));
    }

    /**
     * An HMAC-SHA256 with the hop secret over {@code text}, base64url. For the other signed in-band figures (the
     * peer's spare capacity); each caller starts its text with its own version tag, so no signature made for one
     * purpose verifies for another.
     */
    public String sign(String text) {
        return B64.encodeToString(macOf(text));
    }

    /** True if {@code signature} is {@link #sign}{@code (text)}; compares in constant time. */
    public boolean signedBy(String text, String signature) {
        byte[] given;
        try {
            given = B64D.decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, macOf(text));
    }

    private static final char PROXIED = 'p';
    private static final char REDIRECTED = 'r';
    /** Largest load figure a token may carry; more is not a pool any container runs, so the token is malformed. */
    private static final int MAX_FIGURE = 1_000_000;

    /**
     * Who moved a request and its load at that moment: requests waiting for a worker, busy workers, the pool's most
     * workers (-1: unknown, as {@code LoadProbe} reports them); and whether it was proxied (the peer answers a
     * proxied request with its spare capacity, which only the proxying origin ever sees).
     */
    public record Origin(String id, boolean proxied, int waiting, int busy, int max) {
        public static final Origin NONE = new Origin(null, false, -1, -1, -1);

        String loadField() {
            return (proxied ? PROXIED : REDIRECTED) + Integer.toString(clamp(waiting)) + "~" + clamp(busy) + "~"
                    + clamp(max);
        }

        // A figure outside what a token may carry is sent as unknown, never as a wrong number.
        private static int clamp(int figure) {
            return figure < -1 || figure > MAX_FIGURE ? -1 : figure;
        }

        /** The origin a token names, or null if its load field is malformed. */
        static Origin parse(String id, String load) {
            if (load.length() < 6 || (load.charAt(0) != PROXIED && load.charAt(0) != REDIRECTED)) {
                return null;
            }
            int t1 = load.indexOf('~');
            int t2 = t1 < 0 ? -1 : load.indexOf('~', t1 + 1);
            if (t1 < 0 || t2 < 0) {
                return null;
            }
            int w = figure(load, 1, t1);
            int b = figure(load, t1 + 1, t2);
            int m = figure(load, t2 + 1, load.length());
            if (w < -1 || b < -1 || m < -1) {
                return null;
            }
            return new Origin(id.isEmpty() ? null : id, load.charAt(0) == PROXIED, w, b, m);
        }

        // -1 .. MAX_FIGURE, or -2 for anything else (a sign, a digit count or a value out of range).
        private static int figure(String s, int from, int to) {
            if (to - from < 1 || to - from > 7) {
                return -2;
            }
            try {
                int v = Integer.parseInt(s, from, to, 10);
                return v < -1 || v > MAX_FIGURE || s.charAt(from) == '+' ? -2 : v;
            } catch (NumberFormatException e) {
                return -2;
            }
        }
    }

    /**
     * A verified marker: the origin it names and its load, the peer id it was issued for, whether it was issued for a proxied request, and its
     * signature, which the peer's spare-capacity answer is bound to (so that answer cannot be replayed onto another
     * exchange).
     */
    public record Mark(Origin origin, String target, boolean proxied, String signature) {
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

    private byte[] mac(long expiry, String target, String origin, String load, String method, String rawPath,
            String rawQuery) {
        // Newline-separated: no field can hold a raw newline (the ids are printable ASCII, the load field digits, the
        // method a token, and path and query are in HopSignedForm, which escapes controls), so fields cannot be
        // shifted into each other.
        return macOf(VERSION + "\n" + expiry + "\n" + target + "\n" + origin + "\n" + load + "\n" + method + "\n"
                + HopSignedForm.of(rawPath) + "\n" + HopSignedForm.of(rawQuery));
    }

    private byte[] macOf(String signed) {
        onSignature.run();
        Mac mac;
        try {
            // A Mac is not thread-safe; cloning the keyed prototype is cheap and leaves no ThreadLocal behind
            // in container threads (which would pin the webapp's class loader after a redeploy).
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 Mac cannot be cloned", e);
        }
        return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
    }
}
