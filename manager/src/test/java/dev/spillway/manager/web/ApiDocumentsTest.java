package dev.spillway.manager.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's documents, served by a real {@link WebServer} over fixed data, against what the hand-written JSON
 * writer produced for the same data before the manager used Jackson (captured in
 * {@code src/test/resources/dev/spillway/manager/web/*.json}): same names, nesting, order and values.
 */
class ApiDocumentsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start("127.0.0.1", 0, "token-0123456789", FixedConsole.samples());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), path);
        return r.body();
    }

    static JsonNode before(String name) throws Exception {
        try (InputStream in = ApiDocumentsTest.class.getResourceAsStream(name)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void hostsAreAsBefore() throws Exception {
        String body = get("/api/hosts");
        assertEquals(before("hosts.json"), JSON.readTree(body));
        assertFieldOrder(before("hosts.json"), JSON.readTree(body));
    }

    @Test
    void decisionsAndRouteAreAsBefore() throws Exception {
        assertEquals(before("decisions.json"), JSON.readTree(get("/api/decisions")));
        assertEquals(before("route.json"), JSON.readTree(get("/api/route?zone=eu")));
    }

    @Test
    void historyIsAsBeforeExceptThatUnknownIsNullNotZero() throws Exception {
        JsonNode now = JSON.readTree(get("/api/history?samples=2"));
        // the old writer rounded NaN to 0: B was never read and nobody was polled in the third cycle
        assertTrue(now.at("/B/queueLength/0").isNull() && now.at("/B/cpu/1").isNull(), now.toString());
        assertTrue(now.at("/A/queueDelayMs/0").isNull(), now.toString());
        assertEquals(300, now.at("/A/queueDelayMs/1").asInt(), now.toString());
        // the series plotted before are as before; the dashboard's newer series come after them
        JsonNode before = before("history.json");
        before.fieldNames().forEachRemaining(id -> {
            ObjectNode host = (ObjectNode) now.get(id).deepCopy();
            host.retain(iterable(before.get(id).fieldNames()));
            assertEquals(before.get(id), nullsAsZero(host), id);
        });
        assertEquals(250, now.at("/A/requestRate/1").asInt(), now.toString());
        assertEquals(72.5, now.at("/A/budget/1").asDouble(), now.toString());
        assertEquals(42.25, now.at("/A/movedRate/1").asDouble(), now.toString());
        assertEquals(8, now.at("/A/maxWorkers/1").asInt(), now.toString());
        assertEquals(30, now.at("/C/receivedRate/1").asDouble(), "what A moved to C: " + now);
    }

    private static java.util.List<String> iterable(Iterator<String> names) {
        java.util.List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void textCannotCloseAScriptAndUnknownFiguresAreNull() throws Exception {
        String body = get("/api/hosts");
        assertFalse(body.contains("<") || body.contains(">") || body.contains("\u2028"), body);
        JsonNode c = JSON.readTree(body).get(2);
        assertEquals("drained </script><b>\"x\"\u2028", c.get("reason").asText());
        assertEquals("line\nbreak\t\u0001", c.get("lastError").asText());
        assertTrue(c.get("queueLength").isNull() && c.at("/capacity/perSecond").isNull(), c.toString());
        assertEquals(1.0E-4, c.get("queueDelayMs").asDouble());
    }

    @Test
    void errorsAreJsonNamingTheProblem() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/hosts/A/drain"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer wrong").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertEquals(JSON.readTree("{\"status\":403,\"error\":\"wrong token\"}"), JSON.readTree(r.body()));
    }

    /** Users' scripts may read positionally: the fields come in the same order as before. */
    private static void assertFieldOrder(JsonNode expected, JsonNode actual) {
        if (expected.isObject()) {
            Iterator<String> e = expected.fieldNames();
            Iterator<String> a = actual.fieldNames();
            while (e.hasNext()) {
                assertEquals(e.next(), a.next());
            }
            assertFalse(a.hasNext());
            expected.fields().forEachRemaining(f -> assertFieldOrder(f.getValue(), actual.get(f.getKey())));
        } else if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                assertFieldOrder(expected.get(i), actual.get(i));
            }
        }
    }

    private static JsonNode nullsAsZero(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                f.setValue(nullsAsZero(f.getValue()));
            }
        } else if (n.isArray()) {
            ArrayNode a = (ArrayNode) n;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, nullsAsZero(a.get(i)));
            }
        } else if (n.isNull()) {
            return IntNode.valueOf(0);
        }
        return n;
    }
}
