package dev.spillway.manager.it;

import static dev.spillway.manager.it.ScriptedFarm.BUSY;
import static dev.spillway.manager.it.ScriptedFarm.HOT;
import static dev.spillway.manager.it.ScriptedFarm.IDLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spillway.manager.Manager;
import dev.spillway.testkit.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's HTTP hooks against a real local HTTP server (the JDK's) that records every call, driven by a real
 * manager over scripted agents on real RMI connectors: a POST with the JSON document, retried after a non-2xx answer
 * until one succeeds; a redirect is a failure and is never followed.
 */
class HttpHookTest {
    /** One request the server saw. */
    record Call(String method, String path, String contentType, String body) {
    }

    @TempDir
    Path dir;
    private ScriptedFarm farm;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger allocateAnswers = new AtomicInteger();
    private HttpServer server;
    private Manager manager;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // fails twice, then succeeds
        server.createContext("/allocate", x -> answer(x, allocateAnswers.incrementAndGet() <= 2 ? 503 : 200,
                "{\"ok\":true}"));
        server.createContext("/release", x -> {
            x.getResponseHeaders().add("Location", base() + "/elsewhere");
            answer(x, 302, "");
        });
        server.createContext("/elsewhere", x -> answer(x, 200, ""));
        server.start();
    }

    private void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] in = x.getRequestBody().readAllBytes();
        calls.add(new Call(x.getRequestMethod(), x.getRequestURI().getPath(),
                x.getRequestHeaders().getFirst("Content-Type"), new String(in, StandardCharsets.UTF_8)));
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            x.getResponseBody().write(out);
        }
        x.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        if (farm != null) {
            farm.close();
        }
        server.stop(0);
    }

    private void startManager(Map<String, String> pool) throws Exception {
        farm = new ScriptedFarm(dir);
        farm.agent("A", HOT);
        farm.agent("B", BUSY);
        farm.agent("S", IDLE);
        Map<String, String> m = farm.managerSettings("250ms");
        m.put("pool.spares", "S");
        m.put("pool.file", dir.resolve("pool.members").toString());
        m.put("pool.hook.retry", "100ms");
        m.putAll(pool);
        manager = ScriptedFarm.startManager(m);
    }

    private List<Call> callsTo(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    private void cycles(int n) {
        long from = manager.loop().cycles();
        Await.until(n + " more cycles", () -> manager.loop().cycles() >= from + n);
    }

    @Test
    void anAllocationPostsItsDocumentAndIsRetriedUntilA2xx() throws Exception {
        startManager(Map.of("pool.allocate.after", "0s", "pool.coolDown", "1h", "pool.hook.attempts", "5",
                "pool.allocate.url", base() + "/allocate"));

        Await.until("three calls: two failed, one done", () -> callsTo("/allocate").size() == 3);
        cycles(8); // done: no fourth call
        List<Call> all = callsTo("/allocate");
        assertEquals(3, all.size(), all.toString());
        JsonNode doc = new ObjectMapper().readTree(all.get(2).body());
        assertEquals("allocate", doc.get("action").asText());
        assertEquals("S", doc.get("id").asText());
        assertEquals("http://127.0.0.1:1/S", doc.get("webUrl").asText());
        assertEquals(farm.agents().get(2).url, doc.get("jmxUrl").asText());
        for (Call c : all) {
            assertEquals("POST", c.method());
            assertTrue(String.valueOf(c.contentType()).startsWith("application/json"), c.toString());
            assertEquals(all.get(0).body(), c.body(), "every attempt posts the same document");
        }
        assertEquals(2, manager.pool().hookFailures());
        assertEquals(List.of("S"), manager.pool().allocated(), "the pool's decision does not wait for the hook");
    }

    @Test
    void aRedirectIsAFailureAndIsNotFollowed() throws Exception {
        Files.writeString(dir.resolve("pool.members"), "member A\nmember B\nmember S\n");
        startManager(Map.of("pool.release.after", "0s", "pool.coolDown", "0s", "pool.hook.attempts", "2",
                "pool.release.url", base() + "/release"));
        farm.agents().get(0).setFigures(IDLE);
        farm.agents().get(1).setFigures(IDLE);

        Await.until("S released", () -> manager.pool().releases() == 1);
        Await.until("both attempts failed", () -> manager.pool().hookFailures() == 2);
        assertEquals(2, callsTo("/release").size(), calls.toString());
        assertEquals("release", new ObjectMapper().readTree(callsTo("/release").get(0).body()).get("action")
                .asText());
        assertEquals(List.of(), callsTo("/elsewhere"), "the redirect was followed");
    }
}
