package dev.spillway.bench.hotspot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spillway.demo.Load;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Warms this JVM's load client before the first row: the rows' servers are fresh JVMs with a warm-up of their own,
 * but the client is this JVM, and it compiled its HTTP client (C2 included) during whichever row ran first. With
 * {@code --rows b,d} that was always the redirect row: its client took 922 ms/s of the machine's 2000 in its first
 * 5 s against 378 ms/s in the same row run again (BENCHMARKS.md 7, "Session 11: the first seconds"). So the client
 * first sends {@link #RATE} pages/s for a few seconds to two loopback stubs in this JVM, half of them answered with a
 * 307 to the other stub, which it follows as in a redirect row. Nothing is recorded; no server of the bench sees it.
 */
final class ClientWarmUp {
    static final double RATE = 300;

    private ClientWarmUp() {
    }

    static void run(int seconds) throws IOException, InterruptedException {
        if (seconds <= 0) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        String peerBase = "http://127.0.0.1:" + peer.getAddress().getPort() + "/w";
        origin.createContext("/w", ex -> answer(ex, ex.getRequestURI().getPath().endsWith("/moved")
                ? peerBase + "/page" : null));
        peer.createContext("/w", ex -> answer(ex, null));
        origin.setExecutor(pool);
        peer.setExecutor(pool);
        origin.start();
        peer.start();
        try (Load load = new Load(Map.of("origin", "http://127.0.0.1:" + origin.getAddress().getPort() + "/w",
                "peer", peerBase))) {
            load.start(null, List.of(new Load.Stream("origin", Load.Kind.PAGE, "/moved", RATE / 2),
                    new Load.Stream("origin", Load.Kind.PAGE, "/page", RATE / 4),
                    new Load.Stream("peer", Load.Kind.PAGE, "/page", RATE / 4)));
            Thread.sleep(seconds * 1000L);
            load.stop();
            load.awaitIdle(30_000);
        } finally {
            origin.stop(0);
            peer.stop(0);
            pool.shutdownNow();
        }
    }

    /** 200 with a short body, or a 307 to {@code location}. */
    private static void answer(HttpExchange ex, String location) throws IOException {
        byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
        ex.getResponseHeaders().add("X-Served-By", location == null ? "peer" : "origin");
        if (location != null) {
            ex.getResponseHeaders().add("Location", location);
            ex.sendResponseHeaders(307, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
