package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import dev.spillway.filter.peers.ThisHost;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.FakePeer;
import dev.spillway.testkit.Ports;
import dev.spillway.testkit.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Redirect and proxy forwarding between two real servers of one container kind: client → A (filter) → B (peer).
 * Subclasses pick the container and the proxy's HTTP client ({@link ForwardSettings#PROXY_CLIENT}); every client
 * must pass all of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ForwardingContract {
    static final byte[] SECRET = "a-shared-secret-of-the-farm".getBytes(StandardCharsets.UTF_8);
    static final Set<String> ALL_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE");
    static final long MB = 1024 * 1024;

    final HopMarker hopMarker = new HopMarker(SECRET, 30_000, System::currentTimeMillis);
    final OriginServlet originA = new OriginServlet("A");
    final OriginServlet originB = new OriginServlet("B");
    final SpillwayTestFilter filterA = new SpillwayTestFilter(hopMarker);
    final SpillwayTestFilter filterB = new SpillwayTestFilter(hopMarker);
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    TestServers.Running a;
    TestServers.Running b;
    Peer peerB;
    Peer peerA;
    final List<Forwarding> forwardings = new ArrayList<>();

    abstract TestServers.Container container();

    /** The proxy's HTTP client under test. */
    abstract ForwardSettings.ProxyClient proxyClient();

    @BeforeAll
    void startServers() throws Exception {
        a = TestServers.start(container(), originA, filterA);
        b = TestServers.start(container(), originB, filterB);
        peerA = Peer.parse("a=" + a.url());
        peerB = Peer.parse("b=" + b.url());
    }

    @AfterAll
    void stopServers() throws Exception {
        a.close();
        b.close();
    }

    @BeforeEach
    void reset() {
        originA.reset();
        originB.reset();
        filterA.serveLocally();
        filterB.serveLocally();
        for (SpillwayTestFilter f : List.of(filterA, filterB)) {
            f.fallbackDispatches.set(0);
            f.honouredMarkers.set(0);
        }
    }

    @AfterEach
    void closeForwardings() {
        originA.readGate.countDown();
        originB.readGate.countDown();
        forwardings.forEach(Forwarding::close);
        forwardings.clear();
    }

    Forwarding forwarding(List<Peer> peers, String... settings) {
        Map<String, String> m = new java.util.HashMap<>();
        m.put(ForwardSettings.PROXY_CLIENT, proxyClient().name().toLowerCase(java.util.Locale.ROOT));
        for (int i = 0; i < settings.length; i += 2) {
            m.put(settings[i], settings[i + 1]);
        }
        Forwarding f = Forwarding.create(ForwardSettings.from(ConfigValues.of(m)), hopMarker, peers);
        forwardings.add(f);
        return f;
    }

    Forwarding proxyAtoB(String... settings) {
        Forwarding f = forwarding(List.of(peerB), settings);
        filterA.moveTo(f, f.proxy(), peerB, ALL_METHODS);
        return f;
    }

    HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---------------------------------------------------------------- redirect

    @Test
    void redirectPointsAtThePeerWithTheCheckedPathQueryAndAHopMarker() throws Exception {
        Forwarding f = forwarding(List.of(peerB));
        filterA.moveTo(f, f.redirect(), peerB, Set.of("GET", "HEAD"));

        HttpResponse<String> r = get(a.url() + "/echo/x%20y/%C3%A9?q=%26v&e=%E2%82%AC&flag");
        assertEquals(307, r.statusCode());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(b.url() + "/echo/x%20y/%C3%A9?q=%26v&e=%E2%82%AC&flag&spillway-hop="),
                location);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(0, originA.hits.get());
        assertEquals(1, f.counters().moved("b"));

        HttpResponse<String> followed = get(location);
        assertEquals(200, followed.statusCode());
        assertEquals("B", followed.headers().firstValue("X-Served-By").orElse(null));
        assertEquals("q=%26v&e=%E2%82%AC&flag&spillway-hop=" + location.substring(location.indexOf("spillway-hop=") + 13),
                followed.headers().firstValue("X-Echo-Query").orElse(null));
    }

    @Test
    void redirectLocationIgnoresHostAndForwardedHostAndCannotBeSplitByCrLf() throws Exception {
        Forwarding f = forwarding(List.of(peerB));
        filterA.moveTo(f, f.redirect(), peerB, Set.of("GET", "HEAD"));
        RawHttp.Response r = RawHttp.exchange(a.port(),
                "GET /echo/a%0D%0ASet-Cookie:%20evil=1?q=%0D%0AX-Injected:%201 HTTP/1.1\r\n"
                        + "Host: evil.example\r\nX-Forwarded-Host: evil2.example\r\nConnection: close\r\n\r\n");
        for (String line : r.headerLines()) {
            assertFalse(line.toLowerCase().startsWith("set-cookie: evil"), line);
            assertFalse(line.toLowerCase().startsWith("x-injected"), line);
        }
        if (r.status() == 307) {
            String location = r.header("Location");
            assertTrue(location.startsWith(b.url() + "/echo/a%0D%0ASet-Cookie:%20evil=1?q=%0D%0AX-Injected:%201&"),
                    location);
            assertTrue(location.chars().allMatch(c -> c > 0x20 && c < 0x7f), location);
        } else {
            assertEquals(400, r.status(), "the container may refuse the request itself, never split the response");
        }
    }

    @Test
    void redirectLoopBetweenTwoPeersMovesEachRequestOnce() throws Exception {
        Forwarding fa = forwarding(List.of(peerB));
        Forwarding fb = forwarding(List.of(peerA));
        filterA.moveTo(fa, fa.redirect(), peerB, Set.of("GET"));
        filterB.moveTo(fb, fb.redirect(), peerA, Set.of("GET"));
        for (int i = 0; i < 20; i++) {
            TestServers.Running start = i % 2 == 0 ? a : b;
            String url = start.url() + "/echo/loop?i=" + i;
            int redirects = 0;
            HttpResponse<String> r = get(url, "X-Test-Id", "r" + i);
            while (r.statusCode() == 307 && redirects < 5) {
                redirects++;
                r = get(r.headers().firstValue("Location").orElseThrow(), "X-Test-Id", "r" + i);
            }
            assertEquals(1, redirects, "request " + i + " must be moved exactly once");
            assertEquals(200, r.statusCode());
            assertEquals(i % 2 == 0 ? "B" : "A", r.headers().firstValue("X-Served-By").orElse(null));
        }
        assertEquals(10, originA.ids.size());
        assertEquals(10, originB.ids.size());
        assertTrue(originA.ids.values().stream().allMatch(n -> n == 1));
        assertTrue(originB.ids.values().stream().allMatch(n -> n == 1));
    }

    // ---------------------------------------------------------------- proxy: round trips

    @Test
    void proxyRoundTripServedByThePeerWithForwardingHeadersAndAValidMarker() throws Exception {
        Forwarding f = proxyAtoB();
        HttpResponse<String> r = get(a.url() + "/echo/hello%20there?x=%20y&z=%C3%A9");
        assertEquals(200, r.statusCode());
        assertEquals("served by B /echo/hello there", r.body());
        assertEquals("/echo/hello there", r.headers().firstValue("X-Echo-Path").orElse(null));
        assertEquals("x=%20y&z=%C3%A9", r.headers().firstValue("X-Echo-Query").orElse(null));
        assertEquals("custom-value", r.headers().firstValue("X-Custom").orElse(null));
        assertEquals(List.of("a=1; Path=/", "b=2; Path=/"), r.headers().allValues("Set-Cookie"));
        assertTrue(r.headers().firstValue("Via").orElse("").contains("1.1 spillway"));
        assertEquals(0, originA.hits.get());
        assertEquals(1, originB.hits.get());
        assertEquals(1, filterB.honouredMarkers.get(), "B must see a valid hop marker and serve the request itself");
        OriginServlet.Seen seen = originB.last;
        assertEquals("127.0.0.1", seen.header("X-Forwarded-For"));
        assertEquals("http", seen.header("X-Forwarded-Proto"));
        assertEquals("127.0.0.1:" + a.port(), seen.header("X-Forwarded-Host"));
        assertEquals("for=127.0.0.1;proto=http;host=\"127.0.0.1:" + a.port() + "\"", seen.header("Forwarded"));
        assertEquals("127.0.0.1:" + b.port(), seen.header("Host"));
        assertEquals("1.1 spillway", seen.header("Via"));
        assertTrue(hopMarker.verify(seen.header(HopMarker.HEADER), ThisHost.named("b"), "GET", "/echo/hello%20there",
                seen.query()));
        eventually(() -> f.counters().moved("b") == 1, () -> "moved " + f.counters().moved("b"));
    }

    @Test
    void proxyRelaysStatusCodesAndHead() throws Exception {
        proxyAtoB();
        for (int code : new int[] {201, 204, 302, 304, 404, 418, 500, 503}) {
            HttpResponse<String> r = get(a.url() + "/status/" + code);
            assertEquals(code, r.statusCode());
            assertEquals("relayed", r.headers().firstValue("X-Status-Note").orElse(null));
            assertEquals("B", r.headers().firstValue("X-Served-By").orElse(null));
            if (code == 302) {
                assertEquals("/elsewhere", r.headers().firstValue("Location").orElse(null));
            }
            if (code != 204 && code != 304) {
                assertEquals("status " + code, r.body());
            }
        }
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(a.url() + "/bytes/12345?len=1"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("12345", head.headers().firstValue("Content-Length").orElse(null));
        assertEquals("", head.body());
        assertEquals("HEAD", originB.last.method());
    }

    @Test
    void largeBodiesStreamBothWaysIntact() throws Exception {
        proxyAtoB();
        long size = 64 * MB + 12345;
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(a.url() + "/sum-then-bytes?n="
                        + size + "&seed=8"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PseudoRandomBytes(7, size))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("B", r.headers().firstValue("X-Served-By").orElse(null));
        CRC32 crc = new CRC32();
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = r.body()) {
            int k;
            while ((k = in.read(buf)) > 0) {
                crc.update(buf, 0, k);
                n += k;
            }
        }
        assertEquals(size + " " + PseudoRandomBytes.crc(7, size), r.headers().firstValue("X-Body-Sum").orElse(null));
        assertEquals(size, n);
        assertEquals(PseudoRandomBytes.crc(8, size), crc.getValue());
    }

    @Test
    void downloadIsStreamedWithBackPressureAndArrivesIntact() throws Exception {
        proxyAtoB();
        long size = 200 * MB;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", a.port()));
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /bytes/" + size + "?len=1&seed=3 HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            // The client reads nothing: the peer must be held back by back-pressure, not buffered in the proxy.
            long stalled = waitUntilStable(originB.bytesWritten::get);
            assertTrue(stalled < 64 * MB, "the peer wrote " + stalled / MB + " MB while the client read nothing");
            InputStream in = s.getInputStream();
            String head = RawHttp.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(head.toLowerCase().contains("content-length: " + size), head);
            CRC32 crc = new CRC32();
            long n = 0;
            byte[] buf = new byte[64 * 1024];
            int k;
            while ((k = in.read(buf)) > 0) {
                crc.update(buf, 0, k);
                n += k;
            }
            assertEquals(size, n);
            assertEquals(PseudoRandomBytes.crc(3, size), crc.getValue());
        }
    }

    @Test
    void uploadIsStreamedWithBackPressureAndArrivesIntact() throws Exception {
        proxyAtoB();
        originB.readGate = new CountDownLatch(1); // B's servlet does not read until released
        long size = 200 * MB;
        AtomicLong sent = new AtomicLong();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", a.port()));
            s.setSoTimeout(30_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /sum?pause=1 HTTP/1.1\r\nHost: x\r\nContent-Length: " + size
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    PseudoRandomBytes body = new PseudoRandomBytes(5, size);
                    byte[] buf = new byte[64 * 1024];
                    int k;
                    while ((k = body.read(buf, 0, buf.length)) > 0) {
                        out.write(buf, 0, k);
                        sent.addAndGet(k);
                    }
                    out.flush();
                } catch (IOException e) {
                    sent.set(-1);
                }
            });
            writer.start();
            long stalled = waitUntilStable(sent::get);
            assertTrue(stalled < 64 * MB, "the client sent " + stalled / MB + " MB while the peer read nothing");
            originB.readGate.countDown();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            writer.join(30_000);
            assertEquals(200, r.status());
            assertEquals(size + " " + PseudoRandomBytes.crc(5, size), r.body());
        }
    }

    static void eventually(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Await.PATIENCE_MILLIS * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in " + Await.PATIENCE_MILLIS / 1000 + " s: " + what.get());
            }
            Thread.sleep(10);
        }
    }

    // Waits until a growing counter stops growing (0.6 s without change), then returns it.
    static long waitUntilStable(LongSupplier value) throws InterruptedException {
        long last = -1;
        int still = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            long v = value.getAsLong();
            if (v == last && v > 0) {
                if (++still >= 6) {
                    return v;
                }
            } else {
                still = 0;
                last = v;
            }
            Thread.sleep(100);
        }
        return last;
    }

    // ---------------------------------------------------------------- proxy: hostile input

    @Test
    void hopByHopAndSpoofedForwardingHeadersNeverReachThePeer() throws Exception {
        proxyAtoB();
        RawHttp.Response r = RawHttp.exchange(a.port(), "GET /echo/h HTTP/1.1\r\n"
                + "Host: evil.example\r\n"
                + "Connection: close, X-Secret, x-other-secret\r\n"
                + "X-Secret: leak1\r\nX-Other-Secret: leak2\r\n"
                + "Keep-Alive: timeout=300\r\n"
                + "TE: trailers\r\n"
                + "Trailer: X-T\r\n"
                + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Host: evil2.example\r\nX-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Port: 443\r\nX-Real-IP: 6.6.6.6\r\n"
                + "Forwarded: for=6.6.6.6;host=evil3.example\r\n"
                + "Spillway-Hop: 99999999999999.forged\r\n"
                + "X-Kept: kept\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals("B", r.header("X-Served-By"));
        OriginServlet.Seen seen = originB.last;
        for (String h : new String[] {"x-secret", "x-other-secret", "keep-alive", "te", "trailer",
                "proxy-authorization", "proxy-connection", "x-forwarded-port", "x-real-ip", "upgrade"}) {
            assertNull(seen.header(h), h + " leaked: " + seen.header(h));
        }
        String connection = seen.header("Connection");
        assertTrue(connection == null || !connection.toLowerCase().contains("secret"), connection);
        assertEquals("127.0.0.1", seen.header("X-Forwarded-For"));
        assertEquals("http", seen.header("X-Forwarded-Proto"));
        assertEquals("evil.example", seen.header("X-Forwarded-Host"), "what A saw, never a target");
        assertFalse(seen.header("Forwarded").contains("6.6.6.6"));
        assertEquals("127.0.0.1:" + b.port(), seen.header("Host"));
        assertEquals("kept", seen.header("X-Kept"));
        assertTrue(hopMarker.verify(seen.header(HopMarker.HEADER), ThisHost.named("b"), "GET", "/echo/h", null),
                "our marker replaced the forged one");
        assertEquals(1, originB.hits.get());
    }

    /**
     * A forged X-Request-Start would read on the peer as an hour of queue delay (and take it out as a target),
     * Proxy is the httpoxy header, and a client's Via claims hops that never were: none reaches the peer, not even
     * from a trusted proxy; Via is only ours.
     */
    @Test
    void requestStartProxyAndAClientsViaNeverReachThePeer() throws Exception {
        for (boolean trusted : new boolean[] {false, true}) {
            if (trusted) {
                proxyAtoB(ForwardSettings.TRUSTED_PROXIES, "127.0.0.0/8");
            } else {
                proxyAtoB();
            }
            long anHourAgoMicros = (System.currentTimeMillis() - 3_600_000L) * 1000;
            RawHttp.Response r = RawHttp.exchange(a.port(), "GET /echo/stamp HTTP/1.1\r\nHost: a\r\n"
                    + "X-Request-Start: t=" + anHourAgoMicros + "\r\n"
                    + "x-request-start: t=1\r\n"
                    + "Proxy: http://evil.example:3128\r\n"
                    + "Via: 1.0 evil-proxy, 1.1 spillway\r\n"
                    + "Connection: close\r\n\r\n");
            assertEquals(200, r.status());
            assertEquals("B", r.header("X-Served-By"));
            OriginServlet.Seen seen = originB.last;
            assertNull(seen.header("X-Request-Start"), "trusted=" + trusted);
            assertNull(seen.header("Proxy"), "trusted=" + trusted);
            assertEquals("1.1 spillway", seen.header("Via"), "trusted=" + trusted);
        }
    }

    /**
     * Spillway-Spare is a Spillway peer's signed answer to the origin. A client's copy never reaches the peer, and
     * an unsigned one from the peer never reaches the client nor changes the peer's standing.
     */
    @Test
    void aSpareCapacityHeaderCrossesNeitherWayAndAnUnsignedOneCountsForNothing() throws Exception {
        Forwarding f = proxyAtoB();
        String full = "0~9~" + System.currentTimeMillis() + ".AAAA";
        RawHttp.Response r = RawHttp.exchange(a.port(), "GET /echo/spare?spare=" + full + " HTTP/1.1\r\nHost: a\r\n"
                + SpareCapacity.HEADER + ": " + full + "\r\n"
                + "Connection: close\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals("B", r.header("X-Served-By"));
        assertNull(originB.last.header(SpareCapacity.HEADER), "the client's copy reached the peer");
        assertNull(r.header(SpareCapacity.HEADER), "the peer's unsigned answer reached the client");
        assertTrue(f.isAvailable(peerB), "an unsigned 'full' answer was believed");
    }

    @Test
    void aTrustedProxysForwardingHeadersAreExtendedNotReplaced() throws Exception {
        proxyAtoB(ForwardSettings.TRUSTED_PROXIES, "127.0.0.0/8");
        get(a.url() + "/echo/t", "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "shop.example", "Forwarded", "for=203.0.113.9");
        OriginServlet.Seen seen = originB.last;
        assertEquals("203.0.113.9, 127.0.0.1", seen.header("X-Forwarded-For"));
        assertEquals("https", seen.header("X-Forwarded-Proto"));
        assertEquals("shop.example", seen.header("X-Forwarded-Host"));
        assertTrue(seen.header("Forwarded").startsWith("for=203.0.113.9, for=127.0.0.1"), seen.header("Forwarded"));
    }

    @Test
    void hopByHopHeadersOfThePeersResponseNeverReachTheClient() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            try (s) {
                RawHttp.readHead(s.getInputStream());
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                        + "Connection: X-Resp-Secret\r\nX-Resp-Secret: leak\r\nKeep-Alive: timeout=5\r\n"
                        + "Proxy-Authenticate: Basic\r\nUpgrade: foo\r\nTrailer: X-T\r\nX-Fine: ok\r\n"
                        + "Via: 1.0 upstream\r\n\r\nok").getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException ignored) {
                // test fails on the client side
            }
        })) {
            Peer fake = Peer.parse("fake=" + peer.url());
            Forwarding f = forwarding(List.of(fake));
            filterA.moveTo(f, f.proxy(), fake, ALL_METHODS);
            RawHttp.Response r = RawHttp.exchange(a.port(), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertEquals(200, r.status());
            assertEquals("ok", r.body());
            assertEquals("ok", r.header("X-Fine"));
            assertEquals("1.0 upstream, 1.1 spillway", r.header("Via"));
            for (String h : new String[] {"X-Resp-Secret", "Keep-Alive", "Proxy-Authenticate", "Upgrade", "Trailer"}) {
                assertNull(r.header(h), h + " leaked");
            }
        }
    }

    /** A peer's absolute redirects, Refresh and cookies must not send the client to the peer's internal address. */
    @Test
    void whatNamesThePeerInItsResponseIsRewrittenToWhatTheClientUsed() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            try (s) {
                RawHttp.readHead(s.getInputStream());
                String self = "http://127.0.0.1:" + s.getLocalPort();
                s.getOutputStream().write(("HTTP/1.1 302 Found\r\nContent-Length: 0\r\n"
                        + "Location: " + self + "/ctx/next?x=1\r\n"
                        + "Refresh: 3; url=" + self + "/ctx/later\r\n"
                        + "Set-Cookie: s=1; Domain=127.0.0.1; Path=/ctx/; HttpOnly\r\n"
                        + "Set-Cookie: t=2; Path=/ctx\r\n"
                        + "Content-Location: https://cdn.example/ctx/x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException ignored) {
                // test fails on the client side
            }
        })) {
            Peer fake = Peer.parse("fake=" + peer.url() + "/ctx");
            Forwarding f = forwarding(List.of(fake));
            filterA.moveTo(f, f.proxy(), fake, ALL_METHODS);
            RawHttp.Response r = RawHttp.exchange(a.port(), "GET /go HTTP/1.1\r\nHost: shop.example:8443\r\n"
                    + "Connection: close\r\n\r\n");
            assertEquals(302, r.status());
            assertEquals("http://shop.example:8443/next?x=1", r.header("Location"));
            assertEquals("3; url=http://shop.example:8443/later", r.header("Refresh"));
            assertEquals("https://cdn.example/ctx/x", r.header("Content-Location"), "another host: left alone");
            List<String> cookies = new ArrayList<>();
            for (String l : r.headerLines()) {
                if (l.toLowerCase(java.util.Locale.ROOT).startsWith("set-cookie:")) {
                    cookies.add(l.substring("set-cookie:".length()).trim());
                }
            }
            assertEquals(List.of("s=1; Path=/; HttpOnly", "t=2; Path=/"), cookies);
        }
    }

    @Test
    void anAbsoluteFormTargetOrCrLfInPathAndQueryCannotChangeTheTargetOrAddHeaders() throws Exception {
        proxyAtoB();
        RawHttp.Response r = RawHttp.exchange(a.port(), "GET http://evil.example:81/echo/abs?q=1 HTTP/1.1\r\n"
                + "Host: evil.example:81\r\nConnection: close\r\n\r\n");
        if (r.status() == 200) {
            assertEquals("B", r.header("X-Served-By"));
            assertEquals("/echo/abs", originB.last.path());
            assertEquals("127.0.0.1:" + b.port(), originB.last.header("Host"));
        } else {
            assertEquals(400, r.status());
        }

        originB.reset();
        RawHttp.Response crlf = RawHttp.exchange(a.port(),
                "GET /echo/c%0D%0AX-Injected:%201?q=%0D%0AX-Injected2:%202 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        if (crlf.status() == 200) {
            assertEquals("B", crlf.header("X-Served-By"));
            assertNull(originB.last.header("X-Injected"));
            assertNull(originB.last.header("X-Injected2"));
            assertEquals("/echo/c\r\nX-Injected: 1", originB.last.path());
            assertEquals("q=%0D%0AX-Injected2:%202", originB.last.query());
        } else {
            assertEquals(400, crlf.status());
            assertEquals(0, originB.hits.get());
        }
    }

    @Test
    void conflictingFramingIsRefusedAndNeverForwarded() throws Exception {
        proxyAtoB();
        String[] requests = {
            "POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n",
            "POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello!",
            "POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\nConnection: close\r\n\r\nhello",
            "POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\nConnection: close\r\n\r\nhello",
            "POST /sum HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
        };
        for (String req : requests) {
            RawHttp.Response r = RawHttp.exchange(a.port(), req);
            if (r.status() == 200 && req == requests[0] && container() == TestServers.Container.TOMCAT) {
                // Tomcat resolves CL + TE itself before any filter runs (RFC 9112 6.3: chunked wins, the
                // Content-Length is removed, the connection closed afterwards). What reaches the peer must then be
                // exactly that one reading: chunked, no Content-Length.
                CRC32 crc = new CRC32();
                crc.update("hello".getBytes(StandardCharsets.ISO_8859_1));
                assertEquals("5 " + crc.getValue(), r.body());
                assertNull(originB.last.header("Content-Length"));
                assertEquals("chunked", originB.last.header("Transfer-Encoding"));
                originB.reset();
                continue;
            }
            assertTrue(r.status() == 400 || r.status() == 501, req + " → " + r.status());
        }
        assertEquals(0, originB.hits.get(), "nothing ambiguous may reach the peer");
        assertEquals(0, originA.hits.get());
        // And well-framed bodies do pass, both ways of framing.
        RawHttp.Response ok = RawHttp.exchange(a.port(), "POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nhello");
        assertEquals(200, ok.status());
        assertEquals("B", ok.header("X-Served-By"));
        RawHttp.Response chunked = RawHttp.exchange(a.port(), "POST /sum HTTP/1.1\r\nHost: a\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertEquals(200, chunked.status());
        CRC32 crc = new CRC32();
        crc.update("hello".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("5 " + crc.getValue(), chunked.body());
    }

    // ---------------------------------------------------------------- loop

    @Test
    void proxyLoopBetweenTwoPeersServesEachRequestExactlyOnce() throws Exception {
        Forwarding fa = forwarding(List.of(peerB));
        Forwarding fb = forwarding(List.of(peerA));
        filterA.moveTo(fa, fa.proxy(), peerB, ALL_METHODS);
        filterB.moveTo(fb, fb.proxy(), peerA, ALL_METHODS);
        int n = 40;
        for (int i = 0; i < n; i++) {
            TestServers.Running start = i % 2 == 0 ? a : b;
            HttpResponse<String> r = get(start.url() + "/echo/loop", "X-Test-Id", "p" + i);
            assertEquals(200, r.statusCode());
            assertEquals(i % 2 == 0 ? "B" : "A", r.headers().firstValue("X-Served-By").orElse(null));
        }
        assertEquals(n, originA.hits.get() + originB.hits.get());
        assertEquals(n / 2, originA.ids.size());
        assertEquals(n / 2, originB.ids.size());
        assertTrue(originA.ids.values().stream().allMatch(c -> c == 1));
        assertTrue(originB.ids.values().stream().allMatch(c -> c == 1));
        // The client may see the last byte a moment before the exchange is counted: wait for the count.
        eventually(() -> fa.counters().moved("b") == n / 2 && fb.counters().moved("a") == n / 2,
                () -> "moved " + fa.counters().moved("b") + " / " + fb.counters().moved("a"));
    }

    // ---------------------------------------------------------------- faults

    @Test
    void aPeerNotListeningFallsBackToLocalServiceAndBecomesSuspect() throws Exception {
        int deadPort = Ports.free();
        Peer dead = Peer.parse("dead=http://127.0.0.1:" + deadPort);
        Forwarding f = forwarding(List.of(dead));
        filterA.moveTo(f, f.proxy(), dead, ALL_METHODS);

        HttpResponse<String> r = get(a.url() + "/echo/fb?x=1");
        assertEquals(200, r.statusCode());
        assertEquals("A", r.headers().firstValue("X-Served-By").orElse(null));
        assertEquals("/echo/fb", r.headers().firstValue("X-Echo-Path").orElse(null));
        assertEquals(1, f.counters().fellBack("dead"));
        assertEquals(1, filterA.fallbackDispatches.get());
        assertTrue(f.isSuspect(dead));

        // While suspect the peer is not tried again: served locally at once, no second fallback counted.
        HttpResponse<String> again = get(a.url() + "/echo/fb2");
        assertEquals("A", again.headers().firstValue("X-Served-By").orElse(null));
        assertEquals(1, f.counters().fellBack("dead"));
        assertEquals(1, filterA.fallbackDispatches.get());

        // A POST body is still intact for local service after the failed connect.
        Forwarding f2 = forwarding(List.of(dead));
        filterA.moveTo(f2, f2.proxy(), dead, ALL_METHODS);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(a.url() + "/sum"))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        CRC32 crc = new CRC32();
        crc.update("hello".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("A", post.headers().firstValue("X-Served-By").orElse(null));
        assertEquals("5 " + crc.getValue(), post.body());
    }

    @Test
    void aPeerThatNeverCompletesTheConnectFallsBackAfterTheConnectTimeout() throws Exception {
        // A listening socket that never accepts, with its backlog filled: the kernel drops further SYNs, so a
        // connect neither succeeds nor fails until the connect timeout.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(s);
                    } catch (IOException backlogFull) {
                        s.close();
                        break;
                    }
                }
                Peer peer = Peer.parse("full=http://127.0.0.1:" + full.getLocalPort());
                Forwarding f = forwarding(List.of(peer), ForwardSettings.CONNECT_TIMEOUT, "250ms");
                filterA.moveTo(f, f.proxy(), peer, ALL_METHODS);
                long start = System.nanoTime();
                HttpResponse<String> r = get(a.url() + "/echo/ct");
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, r.statusCode());
                // A lower bound only (a slow machine makes it longer): proves the connect hung, not refused.
                assertTrue(tookMillis >= 240, "took " + tookMillis + " ms: the connect did not wait for its timeout");
                assertEquals("A", r.headers().firstValue("X-Served-By").orElse(null));
                assertEquals(1, f.counters().fellBack("full"));
                assertEquals(0, f.counters().failed("full"));
                assertTrue(f.isSuspect(peer));
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aBlackHoledPeerTimesOutWith504AndIsNotRetried() throws Exception {
        try (FakePeer hole = new FakePeer(s -> {
            try {
                InputStream in = s.getInputStream();
                while (in.read() >= 0) {
                    // swallow everything, answer nothing
                }
            } catch (IOException ignored) {
                // closed by the test
            }
        })) {
            Peer peer = Peer.parse("hole=" + hole.url());
            Forwarding f = forwarding(List.of(peer), ForwardSettings.PROXY_TIMEOUT, "300ms");
            filterA.moveTo(f, f.proxy(), peer, ALL_METHODS);
            HttpResponse<String> r = get(a.url() + "/echo/bh");
            assertEquals(504, r.statusCode());
            assertEquals(1, f.counters().failed("hole"));
            assertTrue(f.isSuspect(peer));
            assertEquals(0, originA.hits.get(), "a request that went upstream is never also served here");
            assertEquals(1, hole.connections.get());
        }
    }

    @Test
    void aNonIdempotentRequestIsNeverReplayed() throws Exception {
        try (FakePeer rude = new FakePeer(s -> {
            try (s) {
                RawHttp.readHead(s.getInputStream());
                s.getInputStream().readNBytes(5);
                // read the request, then hang up without answering
            } catch (IOException ignored) {
                // fine
            }
        })) {
            Peer peer = Peer.parse("rude=" + rude.url());
            Forwarding f = forwarding(List.of(peer));
            filterA.moveTo(f, f.proxy(), peer, ALL_METHODS);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(a.url() + "/sum"))
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(502, r.statusCode());
            Thread.sleep(300); // a replay, if any, would open a second connection now
            assertEquals(1, rude.connections.get(), "the POST must reach the peer once, never twice");
            assertEquals(0, originA.hits.get(), "nor be served here after it went upstream");
            assertEquals(1, f.counters().failed("rude"));
        }
    }

    @Test
    void aPeerKilledMidResponseNeverLooksLikeACompleteResponse() throws Exception {
        for (String mode : new String[] {"length", "chunked", "head-only"}) {
            boolean chunked = mode.equals("chunked");
            try (FakePeer dying = new FakePeer(s -> {
                try (s) {
                    RawHttp.readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    byte[] part = new byte[256 * 1024];
                    if (mode.equals("head-only")) {
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    } else if (chunked) {
                        out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(part);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    } else {
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        out.write(part);
                    }
                    out.flush();
                    Thread.sleep(200);
                    s.setSoLinger(true, 0); // killed: reset, no orderly end
                } catch (IOException | InterruptedException ignored) {
                    // gone
                }
            })) {
                Peer peer = Peer.parse("dying=" + dying.url());
                Forwarding f = forwarding(List.of(peer));
                filterA.moveTo(f, f.proxy(), peer, ALL_METHODS);
                // Keep-alive, so the relay must frame the body (a close-delimited body cannot show truncation).
                RawHttp.Response r = RawHttp.exchange(a.port(), "GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
                if (mode.equals("head-only")) {
                    // Nothing of the answer had left for the client: a GET is served here instead of lost.
                    assertEquals(200, r.status(), "the GET was not served here");
                    assertTrue(r.complete(), "the page served here was cut short");
                    assertEquals(1, originA.hits.get(), "served here once");
                    assertEquals(1, f.counters().fellBack("dying"));
                    assertEquals(0, f.counters().failed("dying"));
                    continue;
                }
                if (r.status() == 200) {
                    assertFalse(r.complete(), mode + ": a truncated body was ended cleanly");
                } else {
                    assertEquals(502, r.status());
                }
                assertEquals(1, f.counters().failed("dying"));
                assertEquals(0, originA.hits.get());
            }
        }
    }

    /**
     * A peer that answers the first request on a keep-alive connection and then dies (PeerKillIT's SIGKILL): the
     * next request goes out on the pooled connection, which is closed or reset before any byte of an answer. A GET
     * or HEAD without a body is then served here, never answered 502; later requests are served here too.
     */
    @Test
    void anIdempotentRequestOnAConnectionThatDiesBeforeAnyAnswerIsServedHere() throws Exception {
        for (boolean reset : new boolean[] {false, true}) {
            java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
            try (FakePeer dies = new FakePeer(s -> {
                try (s) {
                    InputStream in = s.getInputStream();
                    while (!RawHttp.readHead(in).isEmpty()) {
                        if (requests.incrementAndGet() > 1) {
                            // killed: the request was read, and not a byte of an answer goes back
                            if (reset) {
                                s.setSoLinger(true, 0);
                            }
                            return;
                        }
                        s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nX-Served-By: peer\r\n"
                                + "\r\npeer").getBytes(StandardCharsets.ISO_8859_1));
                        s.getOutputStream().flush();
                    }
                } catch (IOException ignored) {
                    // gone
                }
            })) {
                Peer peer = Peer.parse("dies=" + dies.url());
                Forwarding f = forwarding(List.of(peer));
                filterA.moveTo(f, f.proxy(), peer, ALL_METHODS);
                HttpResponse<String> first = get(a.url() + "/echo/first");
                assertEquals(200, first.statusCode());
                assertEquals("peer", first.body());

                HttpResponse<String> second = get(a.url() + "/echo/second", "X-Test-Id", "second-" + reset);
                assertEquals(200, second.statusCode(), (reset ? "reset" : "closed") + ": " + second.body());
                assertEquals("A", second.headers().firstValue("X-Served-By").orElse(null));
                assertEquals("/echo/second", second.headers().firstValue("X-Echo-Path").orElse(null));
                assertEquals(1, originA.ids.get("second-" + reset), "served here exactly once");
                assertEquals(1, f.counters().fellBack("dies"));
                assertEquals(0, f.counters().failed("dies"));
                assertTrue(f.isSuspect(peer), "a peer that dropped a request is skipped for its back-off");
                assertTrue(requests.get() >= 2, "the second request did go out to the peer");
            }
        }
    }

    @Test
    void aHeadOnAConnectionThatDiesBeforeAnyAnswerIsServedHereButABodilessPostIsNot() throws Exception {
        try (FakePeer rude = new FakePeer(s -> {
            try (s) {
                RawHttp.readHead(s.getInputStream());
                s.setSoLinger(true, 0); // read the request, then reset without answering
            } catch (IOException ignored) {
                // gone
            }
        })) {
            Peer peer = Peer.parse("rude=" + rude.url());
            Forwarding f = forwarding(List.of(peer), ForwardSettings.SUSPECT_BACKOFF, "0ms");
            filterA.moveTo(f, f.proxy(), peer, ALL_METHODS);
            HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(a.url() + "/echo/h"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertEquals("A", head.headers().firstValue("X-Served-By").orElse(null));
            assertEquals(1, f.counters().fellBack("rude"));

            // Not idempotent: once it went upstream it is never served a second time, here or there.
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(a.url() + "/echo/p"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(502, post.statusCode());
            assertEquals(1, f.counters().failed("rude"));
            assertEquals(1, originA.hits.get(), "only the HEAD was served here");
        }
    }

    // ---------------------------------------------------------------- proxy: whose fault

    /** A client's body that ends before its Content-Length is the client's fault: the peer stays in rotation. */
    @Test
    void aClientBodyThatEndsEarlyDoesNotMakeThePeerSuspect() throws Exception {
        Forwarding f = proxyAtoB(ForwardSettings.SUSPECT_BACKOFF, "1h");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", a.port()));
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput(); // 90 bytes short
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            // Never a gateway error (that would blame the peer). Tomcat may close a connection whose read failed
            // before our answer is written: no response at all is fine too.
            assertTrue(r.status() == 400 || r.status() == -1, "status " + r.status());
        }
        eventually(() -> f.counters().failed("b") == 1, () -> "failed " + f.counters().failed("b"));
        assertFalse(f.isSuspect(peerB), "the client's short body made the peer suspect");
        assertEquals("B", get(a.url() + "/echo/after").headers().firstValue("X-Served-By").orElse(null));
    }

    /** A client that stops sending its body mid-way: the upstream times out waiting for the client, not the peer. */
    @Test
    void aClientThatStallsItsBodyGets408AndThePeerIsNotSuspect() throws Exception {
        Forwarding f = proxyAtoB(ForwardSettings.SUSPECT_BACKOFF, "1h", ForwardSettings.PROXY_TIMEOUT, "500ms");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", a.port()));
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush(); // and then nothing more, the connection kept open
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertEquals(408, r.status());
        }
        assertFalse(f.isSuspect(peerB), "a client's stalled upload made the peer suspect");
        assertEquals("B", get(a.url() + "/echo/after").headers().firstValue("X-Served-By").orElse(null));
    }

    /**
     * Headers that this server accepts but that, with the forwarding headers added, pass the 8 KB the Jetty client
     * sends (and the peer's own 8 KB limit): the client's request is at fault, never the peer. The Jetty client
     * refuses to send it, so it is served here; the JDK client sends it and the peer's refusal is relayed.
     */
    @Test
    void headersTooLargeToForwardDoNotMakeThePeerSuspect() throws Exception {
        Forwarding f = proxyAtoB(ForwardSettings.SUSPECT_BACKOFF, "1h");
        String cookie = "c=" + "x".repeat(8_020);
        RawHttp.Response r = RawHttp.exchange(a.port(), "GET /echo/big HTTP/1.1\r\nHost: a\r\nCookie: " + cookie
                + "\r\nConnection: close\r\n\r\n");
        if (proxyClient() == ForwardSettings.ProxyClient.JETTY) {
            assertEquals(200, r.status());
            assertEquals("A", r.header("X-Served-By"));
            assertEquals(1, f.counters().fellBack("b"));
        } else {
            assertTrue(r.status() == 400 || r.status() == 431, "the peer's refusal, relayed: " + r.status());
            assertEquals(0, originB.hits.get());
        }
        assertFalse(f.isSuspect(peerB), "the client's oversized headers made the peer suspect");
        assertEquals("B", get(a.url() + "/echo/after").headers().firstValue("X-Served-By").orElse(null));
    }

    /** A peer that stops sending mid-body (connection left open) is cut off after the idle timeout, not held. */
    @Test
    void aPeerThatStallsMidBodyIsCutOffAfterTheIdleTimeout() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        try (FakePeer stalls = new FakePeer(s -> {
            try (s) {
                RawHttp.readHead(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.write(new byte[1000]);
                out.flush();
                released.await(); // silent, the connection open: only an idle timeout ends this
            } catch (IOException | InterruptedException ignored) {
                // closed
            }
        })) {
            Peer peer = Peer.parse("stalls=" + stalls.url());
            Forwarding f = forwarding(List.of(peer), ForwardSettings.PROXY_IDLE_TIMEOUT, "500ms");
            filterA.moveTo(f, f.proxy(), peer, ALL_METHODS);
            // RawHttp gives up after 20 s without a byte: the exchange must end well before that.
            RawHttp.Response r = RawHttp.exchange(a.port(), "GET /stalls HTTP/1.1\r\nHost: a\r\n\r\n");
            if (r.status() == 200) {
                assertFalse(r.complete(), "a truncated body was ended cleanly");
            } else {
                assertEquals(504, r.status(), "nothing was sent to the client yet: it gets a 504");
            }
            eventually(() -> f.counters().failed("stalls") == 1, () -> "failed " + f.counters().failed("stalls"));
            assertTrue(f.isSuspect(peer), "a peer that went silent is the peer's fault");
            assertEquals(0, originA.hits.get());
        } finally {
            released.countDown();
        }
    }

    /** A client that stops reading is cut off after the idle timeout; the peer did nothing wrong. */
    @Test
    void aClientThatStopsReadingIsCutOffAndThePeerIsNotSuspect() throws Exception {
        Forwarding f = proxyAtoB(ForwardSettings.PROXY_IDLE_TIMEOUT, "1s", ForwardSettings.SUSPECT_BACKOFF, "1h");
        long size = 200 * MB;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", a.port()));
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /bytes/" + size + "?len=1&seed=4 HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            // The client reads nothing: once the buffers are full nothing moves, and the idle timeout ends it.
            eventually(() -> f.counters().failed("b") == 1, () -> "failed " + f.counters().failed("b"));
            assertFalse(f.isSuspect(peerB), "a client that stopped reading made the peer suspect");
            long written = waitUntilStable(originB.bytesWritten::get);
            assertTrue(written < size, "the peer was not cut off: it wrote everything");
            InputStream in = s.getInputStream();
            long n = 0;
            byte[] buf = new byte[64 * 1024];
            try {
                int k;
                while ((k = in.read(buf)) > 0) {
                    n += k;
                }
            } catch (java.net.SocketException reset) {
                // closed by A: reset is as good as an end here
            }
            assertTrue(n < size, "the client got the whole body although it was cut off");
        }
        assertEquals("B", get(a.url() + "/echo/after").headers().firstValue("X-Served-By").orElse(null));
    }

    /** A peer that trickles a byte now and then never trips the idle timeout: the async timeout bounds it. */
    @Test
    void aTricklingPeerIsCutOffAtTheMaxDuration() throws Exception {
        AtomicLong chunksSent = new AtomicLong();
        try (FakePeer trickles = new FakePeer(s -> {
            try (s) {
                RawHttp.readHead(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                for (int i = 0; i < 3000; i++) { // 5 minutes, far more than any bound below
                    out.write("1\r\nx\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    chunksSent.incrementAndGet();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException ignored) {
                // cut off
            }
        })) {
            Peer peer = Peer.parse("trickles=" + trickles.url());
            Forwarding f = forwarding(List.of(peer), ForwardSettings.PROXY_TIMEOUT, "500ms",
                    ForwardSettings.PROXY_MAX_DURATION, "2s");
            filterA.moveTo(f, f.proxy(), peer, ALL_METHODS);
            RawHttp.Response r = RawHttp.exchange(a.port(), "GET /trickles HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(200, r.status());
            assertFalse(r.complete(), "a body cut off at the max duration was ended cleanly");
            eventually(() -> f.counters().failed("trickles") == 1, () -> "failed " + f.counters().failed("trickles"));
            // And the peer's connection is closed too: its writes stop.
            long stopped = waitUntilStable(chunksSent::get);
            assertTrue(stopped < 3000, "the peer was never cut off");
        }
    }

    @Test
    void aSuspectPeerIsSkippedWithoutAnAttempt() throws Exception {
        Forwarding f = proxyAtoB(ForwardSettings.SUSPECT_BACKOFF, "1h");
        // A fresh Forwarding has no suspects: the request goes to B.
        assertEquals("B", get(a.url() + "/echo/s").headers().firstValue("X-Served-By").orElse(null));
        assertFalse(f.isSuspect(peerB));
        assertNotNull(f.stats().get(0));
        assertEquals("b", f.stats().get(0).getPeer());
        eventually(() -> f.stats().get(0).getMoved() == 1, () -> "moved " + f.stats().get(0).getMoved());
        assertFalse(Double.isNaN(f.stats().get(0).getMeanLatencyMillis()));
    }
}
