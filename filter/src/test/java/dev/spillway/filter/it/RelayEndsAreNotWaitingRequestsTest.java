package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxied relays that end while every worker of the origin is busy leave their async cycle's end queued in the
 * worker pool (both containers run it as a pool job), where it reads as a waiting request. Under a permit the valve
 * spills at {@code spillWaiting} (2) waiting requests; two such queued ends must not make the next request spill when
 * no request waits behind it. Jetty and Tomcat as the origin.
 */
class RelayEndsAreNotWaitingRequestsTest {
    private static final String SECRET = "relay-ends-secret-0123456789";
    private static final int WORKERS = 6;
    /** The peer's page for each relay: long enough for the origin's pool to fill and a request to queue first. */
    private static final int RELAY_MS = 6_000;
    /** One filler frees its worker after the relays ended; the others hold theirs past the test's end. */
    private static final int FIRST_FREED_MS = 11_000;
    private static final int HOLD_MS = 40_000;

    @TempDir
    Path tmp;
    private JettyContainer jetty;
    private TomcatContainer tomcat;
    private ExecutorService fillers;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private void start() throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "classpath:spillway-test.properties",
                tmp.resolve("peer.properties").toString());
        writeConfig(9, 9);
        jetty = new JettyContainer();
        jetty.start(webapp, "/a", WORKERS, "/fill-a");
        tomcat = new TomcatContainer();
        tomcat.start(webapp, "/b", WORKERS, "/fill-b");
        assertNull(jetty.startupFailure());
        assertNull(tomcat.startupFailure());
        writeConfig(tomcat.port(), jetty.port());
        jetty.redeploy();
        tomcat.redeploy();
    }

    private void writeConfig(int tomcatPort, int jettyPort) throws Exception {
        Files.writeString(tmp.resolve("peer.properties"), String.join("\n",
                "peers = b=http://127.0.0.1:" + tomcatPort + "/b, a=http://127.0.0.1:" + jettyPort + "/a",
                "hopSecret = " + SECRET,
                "spillWaiting = 2",
                "spillReserve = 0",
                ""));
    }

    @AfterEach
    void stop() throws Exception {
        if (fillers != null) {
            fillers.shutdownNow();
        }
        if (jetty != null) {
            jetty.close();
        }
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    void jettyOrigin() throws Exception {
        start();
        check(jetty.port(), "/a", "/fill-a", filter("/a"), "b", filter("/b"));
    }

    @Test
    void tomcatOrigin() throws Exception {
        start();
        check(tomcat.port(), "/b", "/fill-b", filter("/b"), "a", filter("/a"));
    }

    private void check(int port, String context, String fill, FilterMXBean origin, String peerId, FilterMXBean peer)
            throws Exception {
        // Two relays under way: every request is proxied while this directive holds.
        origin.applyDirective("PROXY", new String[] {peerId}, 1.0, 600_000);
        long peerRequests = peer.getRequests();
        List<CompletableFuture<HttpResponse<String>>> relays = List.of(get(port, context + "/slow?ms=" + RELAY_MS),
                get(port, context + "/slow?ms=" + RELAY_MS));
        Await.until("both relays reached the peer", () -> peer.getRequests() - peerRequests >= 2);
        // From now on a request is moved only if the valve spills it.
        origin.applyPermit("PROXY", new String[] {peerId}, new double[] {1000}, 600_000);

        int max = origin.getMaxWorkers();
        fillers = Executors.newFixedThreadPool(max);
        fillers.submit(() -> RawHttp.get(port, fill + "/slow?ms=" + FIRST_FREED_MS));
        for (int i = 1; i < max; i++) {
            fillers.submit(() -> RawHttp.get(port, fill + "/slow?ms=" + HOLD_MS));
        }
        Await.until("every worker busy", () -> origin.getBusyWorkers() >= max);
        CompletableFuture<HttpResponse<String>> next = get(port, context + "/slow?ms=1");
        Await.until("the next request waits for a worker", () -> origin.getWaitingRequests() >= 1);
        assertFalse(relays.stream().anyMatch(CompletableFuture::isDone),
                "the next request must queue before the relays end (machine too slow for this test's timing)");
        for (CompletableFuture<HttpResponse<String>> r : relays) {
            assertEquals(200, r.get().statusCode());
        }
        // The relays' cycle ends queue behind the next request, which then gets the first freed worker.
        Await.until("the relays' ends queued for a worker", () -> origin.getWaitingRequests() >= 3);
        long spilled = origin.getSpilled();
        HttpResponse<String> served = next.get();

        assertEquals(200, served.statusCode());
        assertEquals(spilled, origin.getSpilled(), "only the relays' ends were queued behind the next request: "
                + "it is served here, not spilled");
        assertFalse(served.headers().firstValue("Via").isPresent(), "served here, not relayed");
    }

    private CompletableFuture<HttpResponse<String>> get(int port, String pathAndQuery) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static FilterMXBean filter(String context) throws Exception {
        return JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), ObjectNames.filter(context),
                FilterMXBean.class);
    }
}
