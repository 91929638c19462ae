package dev.spillway.manager.it;

import static dev.spillway.manager.it.ScriptedFarm.OVER;
import static dev.spillway.manager.it.ScriptedFarm.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.manager.Manager;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * {@code GET /api/stream} read by a real HTTP client from a real manager over two scripted agents, one overloaded
 * (so there is a decision and a permit to stream): loads, decisions and permits arrive as server-sent events, JSON by
 * default and XML when asked for by header or parameter; an unknown format is a 400 naming the expected ones.
 */
class DataStreamTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private ScriptedFarm farm;
    private InProcessAgent a;
    private InProcessAgent b;
    private Manager manager;

    /** One server-sent event as the client read it. */
    record Event(String name, String id, String data) {
    }

    @BeforeEach
    void start() throws Exception {
        farm = new ScriptedFarm(dir);
        a = farm.agent("A", OVER);
        b = farm.agent("B", QUIET);
        Map<String, String> m = farm.managerSettings("300ms");
        manager = ScriptedFarm.startManager(m);
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void jsonByDefaultCarriesLoadsDecisionsAndPermits() throws Exception {
        List<Event> events = readUntilAllKinds(HttpRequest.newBuilder(uri("/api/stream")));
        ObjectMapper json = new ObjectMapper();
        Event permit = first(events, "permit");
        JsonNode p = json.readTree(permit.data());
        assertEquals("A", p.get("host").asText(), permit.data());
        assertEquals("B", p.get("targets").get(0).asText(), permit.data());
        assertTrue(p.get("budgets").get(0).asDouble() > 0, permit.data());
        assertTrue(!p.get("wouldSend").asBoolean(), "a live manager sent it: " + permit.data());
        // the decision that granted the permit comes in the permit's batch, before it (on a busy machine another
        // decision, e.g. a missed poll, can come first)
        List<String> decisions = new ArrayList<>();
        for (Event e : events) {
            if (e.name().equals("decision")) {
                decisions.add(json.readTree(e.data()).get("text").asText());
            }
        }
        assertTrue(decisions.stream().anyMatch(t -> t.contains("A may spill to B")), decisions.toString());
        List<String> loadHosts = new ArrayList<>();
        for (Event e : events) {
            if (e.name().equals("load")) {
                JsonNode host = json.readTree(e.data());
                loadHosts.add(host.get("id").asText());
                assertTrue(host.has("queueLength") && host.has("state"), e.data());
                assertTrue(Long.parseLong(e.id()) >= 0, "the cycle is the event id");
            }
        }
        assertTrue(loadHosts.contains("A") && loadHosts.contains("B"), loadHosts.toString());
    }

    @Test
    void xmlWhenTheClientAcceptsIt() throws Exception {
        List<Event> events = readUntilAllKinds(HttpRequest.newBuilder(uri("/api/stream"))
                .header("Accept", "application/xml"));
        Element permit = xml(first(events, "permit"));
        assertEquals("permit", permit.getTagName());
        assertEquals("A", permit.getElementsByTagName("host").item(0).getTextContent());
        Element load = xml(first(events, "load"));
        assertEquals("load", load.getTagName());
        assertTrue(List.of("A", "B").contains(load.getElementsByTagName("id").item(0).getTextContent()));
        Element decision = xml(first(events, "decision"));
        assertTrue(decision.getElementsByTagName("text").item(0).getTextContent().contains("A"));
    }

    @Test
    void xmlWhenTheQueryAsksAndAnUnknownFormatIsRefused() throws Exception {
        List<Event> events = readUntilAllKinds(HttpRequest.newBuilder(uri("/api/stream?format=xml")));
        assertEquals("load", xml(first(events, "load")).getTagName());
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(uri("/api/stream?format=yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("format=yaml") && bad.body().contains("json or xml"), bad.body());
    }

    private URI uri(String path) {
        return URI.create(manager.httpUrl() + path);
    }

    private static Event first(List<Event> events, String name) {
        return events.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static Element xml(Event e) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(e.data().getBytes(StandardCharsets.UTF_8))).getDocumentElement();
    }

    /** Reads events until a load, a decision and a permit have arrived (bounded: 60 s), then closes the stream. */
    private static List<Event> readUntilAllKinds(HttpRequest.Builder request) throws Exception {
        HttpResponse<Stream<String>> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<Event> events = new ArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            Iterator<String> lines = r.body().iterator();
            String name = null;
            String id = null;
            StringBuilder data = null;
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (name != null) {
                        events.add(new Event(name, id, data == null ? "" : data.toString()));
                        if (List.of("load", "decision", "permit").stream()
                                .allMatch(k -> events.stream().anyMatch(e -> e.name().equals(k)))) {
                            return;
                        }
                    }
                    name = null;
                    id = null;
                    data = null;
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        });
        try {
            reading.get(60, TimeUnit.SECONDS);
        } finally {
            r.body().close();
        }
        return events;
    }
}
