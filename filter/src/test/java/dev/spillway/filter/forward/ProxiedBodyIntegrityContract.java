package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Proxied bodies under concurrency and back-pressure arrive byte for byte: many large downloads (with and without a
 * Content-Length, some after an upload) run at once through A to B, each read by its client in small, uneven pieces
 * so the relay keeps stopping and resuming. Every byte is compared with the generated stream; the first wrong offset
 * is reported. Written for a response body once relayed with the right length and wrong bytes under load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxiedBodyIntegrityContract {
    private static final byte[] SECRET = "a-shared-secret-of-the-farm".getBytes(StandardCharsets.UTF_8);
    private static final long MB = 1024 * 1024;
    private static final int PARALLEL = 6;
    // More rounds to hunt a race by hand: -Dspillway.integrity.rounds=50
    private static final int ROUNDS = Integer.getInteger("spillway.integrity.rounds", 6);

    private final HopMarker hopMarker = new HopMarker(SECRET, 30_000, System::currentTimeMillis);
    private final OriginServlet originB = new OriginServlet("B");
    private final SpillwayTestFilter filterA = new SpillwayTestFilter(hopMarker);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(20)).build();
    private TestServers.Running a;
    private TestServers.Running b;
    private Forwarding forwarding;

    abstract TestServers.Container container();

    abstract ForwardSettings.ProxyClient proxyClient();

    @BeforeAll
    void start() throws Exception {
        a = TestServers.start(container(), new OriginServlet("A"), new SlowReadyOutputFilter(filterA));
        b = TestServers.start(container(), originB, new SpillwayTestFilter(hopMarker));
        Peer peerB = Peer.parse("b=" + b.url());
        forwarding = Forwarding.create(ForwardSettings.from(ConfigValues.of(Map.of(ForwardSettings.PROXY_CLIENT,
                proxyClient().name().toLowerCase(java.util.Locale.ROOT)))), hopMarker, List.of(peerB));
        filterA.moveTo(forwarding, forwarding.proxy(), peerB, Set.of("GET", "POST"));
    }

    @AfterAll
    void stop() throws Exception {
        forwarding.close();
        a.close();
        b.close();
    }

    @Test
    void concurrentLargeBodiesRelayedUnderBackPressureArriveByteForByte() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < PARALLEL; i++) {
                    long seed = 1000L * round + i + 1;
                    long size = 2 * MB + 4099L * (seed % 1000); // odd sizes: chunk boundaries fall everywhere
                    int kind = i % 3;
                    results.add(pool.submit(() -> download(kind, seed, size)));
                }
                for (Future<String> f : results) {
                    String problem = f.get(5, TimeUnit.MINUTES);
                    assertEquals("", problem);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // kind 0: chunked download; 1: download with a Content-Length; 2: an upload, then a chunked download.
    private String download(int kind, long seed, long size) throws IOException, InterruptedException {
        String base = a.url();
        HttpRequest request = switch (kind) {
            case 0 -> HttpRequest.newBuilder(URI.create(base + "/bytes/" + size + "?seed=" + seed)).build();
            case 1 -> HttpRequest.newBuilder(URI.create(base + "/bytes/" + size + "?len=1&seed=" + seed)).build();
            default -> HttpRequest.newBuilder(URI.create(base + "/sum-then-bytes?n=" + size + "&seed=" + seed))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PseudoRandomBytes(seed + 77, MB)))
                    .build();
        };
        HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String what = "kind " + kind + " seed " + seed + " size " + size;
        if (r.statusCode() != 200 || !"B".equals(r.headers().firstValue("X-Served-By").orElse(null))) {
            r.body().close();
            return what + ": status " + r.statusCode() + " served by " + r.headers().firstValue("X-Served-By");
        }
        Random reads = new Random(seed);
        PseudoRandomBytes expected = new PseudoRandomBytes(seed, size);
        byte[] got = new byte[8192];
        byte[] want = new byte[8192];
        long offset = 0;
        try (InputStream in = r.body()) {
            while (true) {
                int k = in.read(got, 0, 1 + reads.nextInt(got.length)); // small, uneven reads
                if (k < 0) {
                    break;
                }
                int w = expected.read(want, 0, k);
                if (w != k) {
                    return what + ": more bytes than sent, at offset " + offset;
                }
                for (int j = 0; j < k; j++) {
                    if (got[j] != want[j]) {
                        return what + ": first wrong byte at offset " + (offset + j);
                    }
                }
                offset += k;
            }
        }
        return offset == size ? "" : what + ": ended at " + offset;
    }
}
