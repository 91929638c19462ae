package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import dev.spillway.testkit.FakePeer;
import dev.spillway.testkit.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A seeded, bounded fuzzer of request heads and framing over the proxy: generated odd and malformed requests (raw
 * sockets, so nothing normalises them) go to A, whose filter proxies them to a recording peer that reads exactly
 * what crosses the wire. For every request: an answer or a clean close; no gateway error and no suspect peer for
 * what was the client's own fault; nothing hop-by-hop or forged ({@code X-Forwarded-*}, {@code Forwarded},
 * {@code Via}, {@code X-Request-Start}, {@code Spillway-Hop}) reaches the peer; no request with ambiguous framing
 * reaches it; it sees one framing and the body the client framed, and never a request hidden in a body (each body
 * carries one, to catch a disagreement on where a body ends). A failure names the seed and the request; another seed:
 * {@code -Dspillway.fuzz.seed=N}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxyHeaderFuzzContract {
    private static final byte[] SECRET = "a-shared-secret-of-the-farm".getBytes(StandardCharsets.UTF_8);
    private static final long SEED = Long.getLong("spillway.fuzz.seed", 20261206L);
    private static final int REQUESTS = Integer.getInteger("spillway.fuzz.requests", 400);
    // A complete request inside every body: if any hop ends the body early, the peer sees it as a request of its own.
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: p\r\nX-Fuzz-Id: smuggled\r\n\r\n";
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "PROPFIND", "M-SEARCH", "get", "X", "BREW", "Zz_9!#$%&'*+-.^`|~");
    // What the peer must never see, whatever the client sent.
    private static final Set<String> NEVER_AT_PEER = Set.of("keep-alive", "te", "trailer", "upgrade",
            "proxy-authorization", "proxy-connection", "proxy", "x-request-start", "x-real-ip", "x-secret",
            "x-other", "x-forwarded-port", "x-forwarded-prefix");

    private final HopMarker hopMarker = new HopMarker(SECRET, 30_000, System::currentTimeMillis);
    private final SpillwayTestFilter filterA = new SpillwayTestFilter(hopMarker);
    private final Map<String, PeerSaw> seen = new ConcurrentHashMap<>();
    private final List<String> peerProblems = new CopyOnWriteArrayList<>();
    private FakePeer recordingPeer;
    private TestServers.Running a;
    private Forwarding forwarding;
    private Peer peer;

    abstract TestServers.Container container();

    abstract ForwardSettings.ProxyClient proxyClient();

    /** One request as the peer read it off the wire. */
    record PeerSaw(String requestLine, List<String[]> headers, byte[] body) {
        List<String> values(String name) {
            List<String> out = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    out.add(h[1]);
                }
            }
            return out;
        }
    }

    /**
     * One generated request: its bytes, and the body it frames; {@code body} null when its framing is ambiguous,
     * which the filter promises never to forward (README: answered 400).
     */
    record Fuzzed(String id, String method, String text, byte[] body) {
    }

    @BeforeAll
    void start() throws Exception {
        recordingPeer = new FakePeer(this::servePeerConnection);
        a = TestServers.start(container(), new OriginServlet("A"), filterA);
        peer = Peer.parse("p=" + recordingPeer.url());
        forwarding = Forwarding.create(ForwardSettings.from(ConfigValues.of(Map.of(ForwardSettings.PROXY_CLIENT,
                proxyClient().name().toLowerCase(Locale.ROOT)))), hopMarker, List.of(peer));
        filterA.moveTo(forwarding, forwarding.proxy(), peer, Set.copyOf(METHODS));
    }

    @AfterAll
    void stop() throws Exception {
        forwarding.close();
        a.close();
        recordingPeer.close();
    }

    @Test
    void oddAndMalformedRequestsNeitherLeakNorDesyncNorBlameThePeer() throws Exception {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>(); // all of them, so a failure shows its pattern
        for (int i = 0; i < REQUESTS; i++) {
            Fuzzed f = generate(random, "f" + i);
            String where = "seed " + SEED + ", request " + i + ":\n" + printable(f.text);
            try {
                check(f, send(f.text), where);
            } catch (AssertionError e) {
                failures.add(e.getMessage() + (e.getMessage().contains(where) ? "" : ", " + where));
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(5, failures.size())),
                failures.size() + " of " + REQUESTS + " requests failed; the first ones");
        assertEquals(List.of(), peerProblems, "what the peer read off the wire");
        // Not vacuous: well-formed requests are generated often enough that many must have crossed.
        assertTrue(seen.size() >= REQUESTS / 10, "only " + seen.size() + " of " + REQUESTS + " reached the peer");
    }

    private void check(Fuzzed f, RawHttp.Response r, String where) {
        assertNotEquals(502, r.status(), where);
        assertNotEquals(504, r.status(), where);
        assertFalse(forwarding.isSuspect(peer), "the peer was marked suspect after " + where);
        PeerSaw smuggled = seen.get("smuggled");
        assertNull(smuggled, () -> "a request hidden in a body reached the peer (" + smuggled.requestLine
                + ") by " + where);
        assertEquals(List.of(), List.copyOf(peerProblems), "what the peer read off the wire after " + where);
        PeerSaw saw = seen.get(f.id);
        if (saw == null) {
            assertNotEquals("P", r.header("X-Served-By"), "answered by the peer, unseen by it: " + where);
            return;
        }
        assertTrue(saw.requestLine.startsWith(f.method + " "), "the peer saw " + saw.requestLine + ", " + where);
        checkHeaders(saw, where);
        assertNotNull(f.body, "a request with ambiguous framing was forwarded (" + saw.requestLine + "), " + where);
        assertEquals(new String(f.body, StandardCharsets.ISO_8859_1), new String(saw.body, StandardCharsets.ISO_8859_1),
                "the body the peer read (" + saw.requestLine + " CL " + saw.values("Content-Length") + " TE "
                + saw.values("Transfer-Encoding") + "), " + where);
    }

    private static void checkHeaders(PeerSaw saw, String where) {
        for (String[] h : saw.headers) {
            String lower = h[0].toLowerCase(Locale.ROOT);
            assertFalse(NEVER_AT_PEER.contains(lower), h[0] + " reached the peer, " + where);
            if (lower.equals("connection")) {
                for (String token : h[1].split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    assertTrue(t.equals("close") || t.equals("keep-alive"), "Connection: " + h[1] + ", " + where);
                }
            }
        }
        assertEquals(List.of("127.0.0.1"), saw.values("X-Forwarded-For"), where);
        assertEquals(List.of("1.1 spillway"), saw.values("Via"), where);
        assertEquals(1, saw.values("X-Forwarded-Host").size(), where);
        assertFalse(saw.values("X-Forwarded-Host").get(0).contains("evil"), where);
        assertEquals(List.of("http"), saw.values("X-Forwarded-Proto"), where);
        assertEquals(1, saw.values("Forwarded").size(), where);
        assertFalse(saw.values("Forwarded").get(0).contains("evil"), where);
        List<String> hop = saw.values(HopMarker.HEADER);
        assertEquals(1, hop.size(), where);
        assertFalse(hop.get(0).contains("forged"), where);
    }

    // ---- generation ----

    private static Fuzzed generate(Random random, String id) {
        String method = METHODS.get(random.nextInt(METHODS.size()));
        StringBuilder head = new StringBuilder(method + " /fuzz/" + id + "?q=" + random.nextInt(1000)
                + " HTTP/1.1\r\nHost: a.example\r\nX-Fuzz-Id: " + id + "\r\n");
        List<String> connectionTokens = new ArrayList<>(List.of("close")); // one request per connection
        int odd = random.nextInt(3); // none, one or two
        for (int k = 0; k < odd; k++) {
            head.append(oddHeader(random, connectionTokens));
        }
        head.append("Connection: ").append(String.join(", ", new LinkedHashSet<>(connectionTokens))).append("\r\n");
        String text = random.nextBoolean() ? "" : "body " + id + " " + SMUGGLED;
        byte[] content = text.getBytes(StandardCharsets.ISO_8859_1);
        String framing = FRAMINGS.get(random.nextInt(FRAMINGS.size()));
        return frame(id, method, head, content, framing, random);
    }

    private static final List<String> FRAMINGS = List.of("none", "length", "length", "chunked", "chunked-odd",
            "length+chunked", "chunked+length", "length-twice-same", "length-twice-differ", "length-list",
            "length-signed", "length-spaced", "length-huge", "te-twice", "te-gzip-chunked", "te-identity",
            "te-case", "te-list-chunked-twice", "te-obs-fold");

    private static Fuzzed frame(String id, String method, StringBuilder head, byte[] content, String framing,
            Random random) {
        String body = new String(content, StandardCharsets.ISO_8859_1);
        String chunked = chunked(body, random, false);
        int n = content.length;
        String cl = "Content-Length: ";
        String te = "Transfer-Encoding: ";
        // {framing header lines, the body as sent}; the body the peer must read is known only when unambiguous
        String[] sent = switch (framing) {
            case "none" -> new String[] {"", ""};
            case "length" -> new String[] {cl + n + "\r\n", body};
            case "chunked" -> new String[] {te + "chunked\r\n", chunked};
            case "chunked-odd" -> new String[] {te + "chunked\r\n", chunked(body, random, true)};
            case "length+chunked" -> new String[] {cl + n + "\r\n" + te + "chunked\r\n", chunked};
            case "chunked+length" -> new String[] {te + "chunked\r\n" + cl + Math.max(0, n - 5) + "\r\n", chunked};
            case "length-twice-same" -> new String[] {cl + n + "\r\n" + cl + n + "\r\n", body};
            case "length-twice-differ" -> new String[] {cl + n + "\r\n" + cl + n / 2 + "\r\n", body};
            case "length-list" -> new String[] {cl + n + ", " + n + "\r\n", body};
            case "length-signed" -> new String[] {cl + "+" + n + "\r\n", body};
            case "length-spaced" -> new String[] {cl + n + " 0\r\n", body};
            case "length-huge" -> new String[] {cl + "99999999999999999999999\r\n", body};
            case "te-twice" -> new String[] {te + "chunked\r\n" + te + "chunked\r\n", chunked};
            case "te-gzip-chunked" -> new String[] {te + "gzip, chunked\r\n", chunked};
            case "te-identity" -> new String[] {te + "identity\r\n" + cl + n + "\r\n", body};
            case "te-case" -> new String[] {te + "ChUnKeD\r\n", chunked};
            case "te-list-chunked-twice" -> new String[] {te + "chunked, chunked\r\n", chunked};
            case "te-obs-fold" -> new String[] {"Transfer-Encoding:\r\n chunked\r\n", chunked};
            default -> throw new IllegalStateException(framing);
        };
        // Chunked in any case is chunked (RFC 9112); a folded value is the container's to unfold or refuse. With
        // both Content-Length and chunked, Tomcat frames by the chunks and hides the Content-Length (RFC 9112 6.3),
        // so the filter sees a chunked request: if it reaches the peer, it must be with the chunked reading.
        boolean unambiguous = Set.of("none", "length", "chunked", "chunked-odd", "te-case", "te-obs-fold",
                "length+chunked", "chunked+length").contains(framing);
        byte[] expected = framing.equals("none") ? new byte[0] : unambiguous ? content : null;
        return new Fuzzed(id, method, head + sent[0] + "\r\n" + sent[1], expected);
    }

    private static String chunked(String body, Random random, boolean odd) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int n = Math.min(body.length() - i, 1 + random.nextInt(40));
            String size = Integer.toHexString(n);
            if (odd) {
                size = switch (random.nextInt(3)) {
                    case 0 -> size.toUpperCase(Locale.ROOT);
                    case 1 -> "000" + size;
                    default -> size + ";ext=\"v\"";
                };
            }
            out.append(size).append("\r\n").append(body, i, i + n).append("\r\n");
            i += n;
        }
        out.append(odd ? "0;last=1\r\n" : "0\r\n");
        if (odd && random.nextBoolean()) {
            out.append("X-Trailer: t\r\n"); // a trailer field
        }
        return out.append("\r\n").toString();
    }

    private static String oddHeader(Random random, List<String> connectionTokens) {
        switch (random.nextInt(16)) {
            case 0:
                return "X-Folded: first\r\n  continued\r\n"; // obs-fold
            case 1:
                connectionTokens.add("X-Secret");
                connectionTokens.add("x-other");
                return "X-Secret: s\r\nX-Other: o\r\nConnection: X-Secret\r\n";
            case 2:
                return "Keep-Alive: timeout=5\r\nKeep-Alive: max=9\r\nTE: trailers\r\nTE: gzip\r\nTrailer: X-T\r\n";
            case 3:
                return "Upgrade: websocket\r\nUpgrade: h2c\r\nProxy-Authorization: Basic eDp5\r\n"
                        + "Proxy-Connection: keep-alive\r\nProxy: http://evil.example:1\r\n";
            case 4:
                return "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-For: 7.7.7.7\r\nX-Forwarded-Host: evil.example\r\n"
                        + "X-Forwarded-Proto: https\r\nX-Forwarded-Port: 1\r\nX-Forwarded-Prefix: /evil\r\n"
                        + "Forwarded: for=evil;host=evil.example\r\nX-Real-IP: 6.6.6.6\r\n";
            case 5:
                return "X-Request-Start: t=1\r\nX-Request-Start: t=2\r\nVia: 1.0 evil\r\nVia: 1.1 evil2\r\n";
            case 6:
                return HopMarker.HEADER + ": forged\r\n" + HopMarker.HEADER + ": forged2\r\n";
            case 7:
                return "X-Long: " + "v".repeat(1 + random.nextInt(12_000)) + "\r\n";
            case 8:
                return "X-" + "n".repeat(1 + random.nextInt(2_000)) + ": long name\r\n";
            case 9:
                return "X-Ctl: a" + (char) random.nextInt(32) + "b\r\n"; // control characters, NUL and HT included
            case 10:
                return "X-Del: a\u007fb\r\nX-High: caf\u00e9\u00ff\r\n"; // DEL; obs-text
            case 11:
                return "X-Space : before colon\r\n";
            case 12:
                return "X-Bare-CR: a\rb\r\n";
            case 13:
                return "No colon here\r\n";
            case 14:
                return ": empty name\r\n";
            default:
                StringBuilder many = new StringBuilder();
                for (int i = 0, n = random.nextInt(120); i < n; i++) {
                    many.append("X-Dup: ").append(i).append("\r\n");
                }
                return many.toString();
        }
    }

    private static String printable(String text) {
        String head = text.length() > 600 ? text.substring(0, 600) + "…(" + text.length() + " chars)" : text;
        StringBuilder out = new StringBuilder();
        for (char c : head.toCharArray()) {
            out.append(c == '\n' ? "\\n\n" : c == '\r' ? "\\r" : c < 32 || c == 127 ? String.format("\\x%02x", (int) c)
                    : String.valueOf(c));
        }
        return out.toString();
    }

    // ---- the client side ----

    private RawHttp.Response send(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", a.port()), 5_000);
            s.setSoTimeout(20_000); // a hang fails the test instead of stalling it
            try {
                OutputStream out = s.getOutputStream();
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException refusedMidway) {
                // the server answered and closed before taking it all: read what it said
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                InputStream in = s.getInputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    answer.write(buf, 0, n);
                }
            } catch (java.net.SocketTimeoutException hung) {
                throw new AssertionError("neither an answer nor a close within 20 s (read "
                        + answer.size() + " bytes)");
            } catch (IOException reset) {
                // a reset after the answer, or instead of one, is a close
            }
            return RawHttp.parse(answer.toByteArray());
        }
    }

    // ---- the recording peer: strict HTTP/1.1, one framing or it complains ----

    private void servePeerConnection(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = RawHttp.readHead(in);
                if (head.isEmpty()) {
                    return;
                }
                String[] lines = head.split("\r\n");
                List<String[]> headers = new ArrayList<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon <= 0 || lines[i].startsWith(" ") || lines[i].startsWith("\t")) {
                        peerProblems.add("malformed header line " + printable(lines[i]) + " in " + lines[0]);
                        return;
                    }
                    headers.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()});
                }
                PeerSaw framingOnly = new PeerSaw(lines[0], headers, null);
                List<String> cl = framingOnly.values("Content-Length");
                List<String> te = framingOnly.values("Transfer-Encoding");
                byte[] body;
                if (!te.isEmpty()) {
                    if (!cl.isEmpty() || !te.equals(List.of("chunked"))) {
                        peerProblems.add("ambiguous framing at the peer: CL " + cl + " TE " + te + " in " + lines[0]);
                        return;
                    }
                    body = readChunked(in);
                } else if (cl.size() > 1 || (cl.size() == 1 && !cl.get(0).matches("[0-9]{1,18}"))) {
                    peerProblems.add("bad Content-Length at the peer: " + cl + " in " + lines[0]);
                    return;
                } else {
                    body = in.readNBytes(cl.isEmpty() ? 0 : Integer.parseInt(cl.get(0)));
                }
                List<String> ids = framingOnly.values("X-Fuzz-Id");
                String id = ids.size() == 1 ? ids.get(0) : "no single X-Fuzz-Id: " + lines[0] + " " + ids;
                if (seen.putIfAbsent(id, new PeerSaw(lines[0], headers, body)) != null) {
                    peerProblems.add("request " + id + " reached the peer twice");
                }
                byte[] answer = "peer read it".getBytes(StandardCharsets.ISO_8859_1);
                out.write(("HTTP/1.1 200 OK\r\nX-Served-By: P\r\nContent-Length: " + answer.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(answer);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            if (!recordingPeer.server.isClosed()) {
                peerProblems.add("the peer could not read a request: " + e);
            }
        }
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                while (!line(in).isEmpty()) {
                    // trailer fields
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            if (!line(in).isEmpty()) {
                throw new IOException("no CRLF after a chunk");
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
        throw new IOException("the connection ended inside a chunked body");
    }
}
