package dev.spillway.filter.forward;

import dev.spillway.settings.ConfigValues;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Not a test: a program that proxies a 1 GB download and a 1 GB upload through the filter inside a JVM with a
 * small heap, to show the proxy's memory does not grow with the body. Run it with e.g. {@code -Xmx64m}:
 * <pre>java -Xmx64m -cp filter/target/test-classes:filter/target/classes:$(cat cp.txt)
 *     dev.spillway.filter.forward.BoundedHeapCheck [jetty|tomcat] [megabytes] [proxy client: jetty|jdk]</pre>
 */
public final class BoundedHeapCheck {
    public static void main(String[] args) throws Exception {
        TestServers.Container kind = args.length > 0 ? TestServers.Container.valueOf(args[0].toUpperCase())
                : TestServers.Container.JETTY;
        long size = (args.length > 1 ? Long.parseLong(args[1]) : 1024) * 1024 * 1024;
        HopMarker marker = new HopMarker("a-shared-secret-of-the-farm".getBytes(StandardCharsets.UTF_8), 30_000,
                System::currentTimeMillis);
        SpillwayTestFilter filterA = new SpillwayTestFilter(marker);
        SpillwayTestFilter filterB = new SpillwayTestFilter(marker);
        try (TestServers.Running a = TestServers.start(kind, new OriginServlet("A"), filterA);
                TestServers.Running b = TestServers.start(kind, new OriginServlet("B"), filterB)) {
            Peer peerB = Peer.parse("b=" + b.url());
            ConfigValues settings = args.length > 2
                    ? ConfigValues.of(java.util.Map.of(ForwardSettings.PROXY_CLIENT, args[2])) : ConfigValues.empty();
            Forwarding f = Forwarding.create(ForwardSettings.from(settings), marker, List.of(peerB));
            filterA.moveTo(f, f.proxy(), peerB, Set.of("GET", "POST"));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            long t0 = System.nanoTime();
            HttpResponse<InputStream> down = client.send(HttpRequest.newBuilder(
                    URI.create(a.url() + "/bytes/" + size + "?len=1&seed=11")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            CRC32 crc = new CRC32();
            long n = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = down.body()) {
                int k;
                while ((k = in.read(buf)) > 0) {
                    crc.update(buf, 0, k);
                    n += k;
                }
            }
            boolean downOk = n == size && crc.getValue() == PseudoRandomBytes.crc(11, size)
                    && "B".equals(down.headers().firstValue("X-Served-By").orElse(null));
            long t1 = System.nanoTime();
            HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create(a.url() + "/sum"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PseudoRandomBytes(12, size))).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean upOk = up.body().equals(size + " " + PseudoRandomBytes.crc(12, size));
            long t2 = System.nanoTime();
            long maxHeap = Runtime.getRuntime().maxMemory();
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf("%s, proxyClient=%s: download %d MB %s in %.1f s, upload %d MB %s in %.1f s; "
                            + "max heap %d MB, peak heap pools sum %d MB%n", kind, f.settings().proxyClient(),
                    size >> 20, downOk ? "intact" : "CORRUPT",
                    (t1 - t0) / 1e9, size >> 20, upOk ? "intact" : "CORRUPT", (t2 - t1) / 1e9, maxHeap >> 20,
                    peak >> 20);
            f.close();
            if (!downOk || !upOk) {
                System.exit(1);
            }
        }
    }
}
