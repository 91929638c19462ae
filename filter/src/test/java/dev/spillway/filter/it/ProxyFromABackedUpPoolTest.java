package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxied answer reaches its client while every worker of the origin is busy and requests queue for them: the
 * exchange is relayed on the proxy client's threads, and its last bytes are sent from there too, not left for the
 * container's completion (which needs one of those busy workers). The answer then says {@code Connection: close}, so
 * the client's next request does not wait for that completion first. Jetty and Tomcat as the origin.
 */
class ProxyFromABackedUpPoolTest {
    private static final String SECRET = "backed-up-secret-0123456789";
    private static final int WORKERS = 6;
    private static final int HOLD_MS = 20_000;

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
        origin.applyDirective("PROXY", new String[] {peerId}, 1.0, 600_000);
        long peerRequests = peer.getRequests();
        // The peer holds this one for a while; meanwhile the origin's pool fills and a queue forms behind it.
        CompletableFuture<HttpResponse<String>> proxied = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + context + "/slow?ms=3000")).build(),
                HttpResponse.BodyHandlers.ofString());
        await(() -> (int) (peer.getRequests() - peerRequests), 1, "the request reached the peer");
        fillers = Executors.newFixedThreadPool(WORKERS + 3);
        for (int i = 0; i < WORKERS + 3; i++) {
            fillers.submit(() -> RawHttp.get(port, fill + "/slow?ms=" + HOLD_MS));
        }
        await(origin::getWaitingRequests, 1, "requests queue for the origin's workers");

        HttpResponse<String> r = proxied.get();
        assertEquals(200, r.statusCode());
        assertEquals("slept 3000", r.body());
        assertTrue(origin.getWaitingRequests() >= 1 && origin.getBusyWorkers() >= origin.getMaxWorkers(),
                "answered while every worker of the origin was still held and requests queued");
        assertEquals("close", r.headers().firstValue("Connection").orElse(null), r.headers().toString());
    }

    private static FilterMXBean filter(String context) throws Exception {
        return JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), ObjectNames.filter(context),
                FilterMXBean.class);
    }

    private static void await(IntSupplier actual, int atLeast, String what) {
        Await.eventually(Await.PATIENCE_MILLIS, () -> actual.getAsInt() >= atLeast);
        assertTrue(actual.getAsInt() >= atLeast, what + ": " + actual.getAsInt());
    }
}
