package dev.spillway.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.spillway.testkit.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {
    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile long delayMillis;
    /** Open until a test closes it: then /health answers nothing until the test ends. */
    private volatile CountDownLatch answerNot = new CountDownLatch(0);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final ExecutorService probes = Executors.newFixedThreadPool(1);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", ex -> {
            try {
                answerNot.await(1, TimeUnit.MINUTES);
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        answerNot.countDown();
        server.stop(0);
        executor.shutdownNow();
        probes.shutdownNow();
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }

    /** Kicks one probe and waits (bounded, generously) for its result. */
    private static HealthResult probe(HealthProbe p) {
        HealthResult before = p.latest();
        p.kick();
        Await.until("the probe's result", () -> p.latest() != before);
        return p.latest();
    }

    @Test
    void upDownAndBaseline() throws Exception {
        // a timeout no busy machine reaches: the 150 ms page must count as up, whatever the load
        HealthProbe p = new HealthProbe(url(), Duration.ofSeconds(30), 10, probes);
        assertTrue(p.latest().up(), "not probed yet counts as up");
        assertEquals(-1, p.latest().status());
        delayMillis = 150;
        HealthResult slow = probe(p);
        assertTrue(slow.up());
        assertEquals(200, slow.status());
        assertTrue(slow.responseMillis() >= 150, "response " + slow.responseMillis());
        delayMillis = 0;
        HealthResult fast = probe(p);
        assertEquals(Math.min(fast.responseMillis(), slow.responseMillis()), fast.baselineMillis(),
                "baseline is the lowest recent response time: " + fast + " after " + slow);
        status.set(503);
        HealthResult down = probe(p);
        assertFalse(down.up());
        assertEquals(503, down.status());
        assertEquals(fast.baselineMillis(), down.baselineMillis(), "failures do not move the baseline");
    }

    @Test
    void aTimeoutIsDown() throws Exception {
        answerNot = new CountDownLatch(1); // the page never answers while the probe waits: only its timeout ends it
        HealthProbe p = new HealthProbe(url(), Duration.ofMillis(200), 10, probes);
        HealthResult r = probe(p);
        assertFalse(r.up());
        assertEquals(-1, r.status());
        assertTrue(Double.isNaN(r.responseMillis()));
    }

    @Test
    void nothingListeningIsDown() throws Exception {
        // A port held by a bound socket that does not listen: a connect to it is refused, and no other process can
        // take it meanwhile (a stopped server's port could be reused by a parallel test). The timeout is one no
        // busy machine reaches, so "down" comes from the refusal.
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            URI closed = URI.create("http://127.0.0.1:" + holder.getLocalPort() + "/health");
            HealthProbe p = new HealthProbe(closed, Duration.ofSeconds(30), 10, probes);
            HealthResult r = probe(p);
            assertFalse(r.up());
            assertEquals(-1, r.status());
        }
    }
}
