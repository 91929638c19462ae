package dev.spillway.filter.hop;

import dev.spillway.filter.peers.ThisHost;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a hop marker is bound to, and what it cannot be reused for. */
class HopMarkerTest {
    private static final byte[] SECRET = "0123456789abcdef-farm".getBytes(StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final HopMarker marker = new HopMarker(SECRET, 30_000, now::get);
    private final ThisHost b = ThisHost.named("b");

    private String issued() {
        return marker.issue("b", "GET", "http://10.0.0.2:8080/shop/catalog/7?q=a%20b&page=2");
    }

    @Test
    void aMarkerIsValidOnItsTargetForItsMethodPathAndQuery() {
        assertTrue(marker.verify(issued(), b, "GET", "/shop/catalog/7", "q=a%20b&page=2"));
    }

    @Test
    void aMarkerReplayedOnAnotherHostPathQueryOrMethodIsRefused() {
        String t = issued();
        assertFalse(marker.verify(t, ThisHost.named("c"), "GET", "/shop/catalog/7", "q=a%20b&page=2"), "host");
        assertFalse(marker.verify(t, b, "GET", "/shop/catalog/8", "q=a%20b&page=2"), "path");
        assertFalse(marker.verify(t, b, "GET", "/other/catalog/7", "q=a%20b&page=2"), "context");
        assertFalse(marker.verify(t, b, "GET", "/shop/catalog/7", "q=a%20b&page=3"), "query value");
        assertFalse(marker.verify(t, b, "GET", "/shop/catalog/7", "q=a%20b"), "query shortened");
        assertFalse(marker.verify(t, b, "GET", "/shop/catalog/7", "q=a%20b&page=2&x=1"), "query extended");
        assertFalse(marker.verify(t, b, "GET", "/shop/catalog/7", null), "query dropped");
        assertFalse(marker.verify(t, b, "HEAD", "/shop/catalog/7", "q=a%20b&page=2"), "method");
        assertFalse(marker.verify(t, b, "DELETE", "/shop/catalog/7", "q=a%20b&page=2"), "method");
    }

    @Test
    void aMarkerForTheHostNamedInItCannotBeRelabelledForAnother() {
        String t = issued();
        String[] parts = t.split("\\.");
        String relabelled = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("c".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertFalse(marker.verify(relabelled, ThisHost.named("c"), "GET", "/shop/catalog/7", "q=a%20b&page=2"));
    }

    @Test
    void aHostThatDoesNotKnowItsIdHonoursAMarkerForAnyTargetButStillOnlyForItsRequest() {
        String t = issued();
        assertTrue(marker.verify(t, ThisHost.UNKNOWN, "GET", "/shop/catalog/7", "q=a%20b&page=2"));
        assertFalse(marker.verify(t, ThisHost.UNKNOWN, "GET", "/shop/catalog/8", "q=a%20b&page=2"));
    }

    @Test
    void aMarkerExpiresAfterItsTtl() {
        String t = issued();
        now.addAndGet(30_001);
        assertFalse(marker.verify(t, b, "GET", "/shop/catalog/7", "q=a%20b&page=2"));
    }

    @Test
    void clocksMayDifferByUpToTheTtlEitherWay() {
        String q = "q=a%20b&page=2";
        for (long skew : new long[] {-20_000, 20_000, -29_000, 29_000}) {
            HopMarker issuer = new HopMarker(SECRET, 30_000, () -> now.get() + skew);
            String t = issuer.issue("b", "GET", "http://10.0.0.2:8080/shop/catalog/7?" + q);
            assertTrue(marker.verify(t, b, "GET", "/shop/catalog/7", q), "issuer's clock off by " + skew + " ms");
        }
        for (long skew : new long[] {-31_000, 31_000}) {
            HopMarker issuer = new HopMarker(SECRET, 30_000, () -> now.get() + skew);
            String t = issuer.issue("b", "GET", "http://10.0.0.2:8080/shop/catalog/7?" + q);
            assertFalse(marker.verify(t, b, "GET", "/shop/catalog/7", q), "issuer's clock off by " + skew + " ms");
        }
    }

    @Test
    void escapesABrowserMayRewriteStillMatchButMeaningfulOnesDoNot() {
        String t = marker.issue("b", "GET", "http://h/shop/it's/%7e?name=o'brien&plus=a+b&amp=x%26y");
        assertTrue(marker.verify(t, b, "GET", "/shop/it%27s/~", "name=o%27brien&plus=a+b&amp=x%26y"),
                "' re-encoded by a browser, ~ decoded, hex case");
        assertFalse(marker.verify(t, b, "GET", "/shop/it's/~", "name=o'brien&plus=a%2Bb&amp=x%26y"), "+ vs %2B");
        assertFalse(marker.verify(t, b, "GET", "/shop/it's/~", "name=o'brien&plus=a+b&amp=x&y"), "%26 vs &");
        String dots = marker.issue("b", "GET", "http://h/shop/a/%2E%2E/b");
        assertFalse(marker.verify(dots, b, "GET", "/shop/a/../b", null), "%2E vs .");
    }

    @Test
    void forgedMalformedAndOversizedTokensAreRefusedWithoutASignature() {
        AtomicLong signatures = new AtomicLong();
        HopMarker counting = new HopMarker(SECRET, 30_000, now::get, signatures::incrementAndGet);
        String t = counting.issue("b", "GET", "http://h/x");
        signatures.set(0);
        for (String bad : new String[] {null, "", ".", "1.2", "abc.Yg.AAAA", "99999999999999999999.Yg.AAAA",
            (now.get() + 60_000) + ".Yg.AAAA", (now.get() - 1) + ".Yg.AAAA",
            t + "x".repeat(HopMarker.MAX_TOKEN_LENGTH)}) {
            assertFalse(counting.verify(bad, b, "GET", "/x", null), String.valueOf(bad));
        }
        assertEquals(0, signatures.get(), "malformed, expired or oversized: no HMAC computed");
        assertFalse(counting.verify(t.substring(0, t.length() - 2) + "AA", b, "GET", "/x", null));
        assertEquals(1, signatures.get(), "a forged signature costs exactly one");
        assertFalse(counting.verify(counting.issue("c", "GET", "http://h/x"), b, "GET", "/x", null));
        assertEquals(3, signatures.get(), "issuing one, and checking a marker for another host, one each");
    }

    @Test
    void theOriginsLoadRidesSignedAndAnAlteredFigureInvalidatesTheMarker() {
        HopMarker.Origin a = new HopMarker.Origin("a", true, 7, 20, 20);
        String t = marker.issue("b", "GET", "http://h/x?q=1", a);
        HopMarker.Mark m = marker.read(t, b, "GET", "/x", "q=1");
        assertEquals(a, m.origin());
        assertEquals("b", m.target());
        assertTrue(m.proxied());
        assertTrue(t.endsWith("." + m.signature()));
        assertFalse(marker.verify(t.replace(".p7~20~20.", ".p0~20~20."), b, "GET", "/x", "q=1"), "waiting");
        assertFalse(marker.verify(t.replace(".p7~20~20.", ".r7~20~20."), b, "GET", "/x", "q=1"), "proxied flag");
        String origin = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("c".getBytes());
        String[] parts = t.split("\\.");
        assertFalse(marker.verify(parts[0] + "." + parts[1] + "." + origin + "." + parts[3] + "." + parts[4], b,
                "GET", "/x", "q=1"), "origin relabelled");
        assertFalse(marker.read(marker.issue("b", "GET", "http://h/x"), b, "GET", "/x", null).proxied(),
                "a marker issued without the origin's load is a redirect's");
    }

    @Test
    void malformedLoadFieldsAreRefusedWithoutASignature() {
        AtomicLong signatures = new AtomicLong();
        HopMarker counting = new HopMarker(SECRET, 30_000, now::get, signatures::incrementAndGet);
        String t = counting.issue("b", "GET", "http://h/x", new HopMarker.Origin("a", false, 1, 2, 3));
        signatures.set(0);
        for (String load : new String[] {"x1~2~3", "r1~2", "r1~2~3~4", "r+1~2~3", "r-2~2~3", "r1~2~99999999",
            "r1~~3", "r~~"}) {
            assertFalse(counting.verify(t.replace(".r1~2~3.", "." + load + "."), b, "GET", "/x", null), load);
        }
        assertEquals(0, signatures.get());
    }
}
