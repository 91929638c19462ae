package dev.spillway.manager.it;

import static dev.spillway.manager.it.ScriptedFarm.BUSY;
import static dev.spillway.manager.it.ScriptedFarm.HOT;
import static dev.spillway.manager.it.ScriptedFarm.IDLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.manager.Manager;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The spare pool's changes on {@code /api/stream}, read by a real HTTP client from a real manager over scripted
 * agents on real RMI connectors: a spare is allocated under overload (its hook failing twice), then released when
 * the load falls; every step arrives once as a {@code pool} event, in order, JSON by default and XML when asked.
 */
class PoolStreamTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private ScriptedFarm farm;
    private Manager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        if (farm != null) {
            farm.close();
        }
    }

    private void startManager() throws Exception {
        farm = new ScriptedFarm(dir);
        farm.agent("A", HOT);
        farm.agent("B", BUSY);
        farm.agent("S", IDLE);
        Map<String, String> m = farm.managerSettings("250ms");
        m.put("pool.spares", "S");
        m.put("pool.file", dir.resolve("pool.members").toString());
        m.put("pool.allocate.after", "0s");
        m.put("pool.release.after", "0s");
        m.put("pool.coolDown", "0s");
        m.put("pool.allocate.command", farm.failingHook() + " allocate");
        m.put("pool.hook.retry", "100ms");
        m.put("pool.hook.attempts", "2");
        manager = ScriptedFarm.startManager(m);
    }

    @Test
    void allocationHookFailuresAndReleaseArriveAsPoolEventsInOrder() throws Exception {
        startManager();
        List<JsonNode> pool = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        // the stream is read while the load falls: the release must come on the same stream
        List<StreamEvents.Event> events = StreamEvents.readUntil(HTTP, request("/api/stream").build(), read -> {
            StreamEvents.Event last = read.get(read.size() - 1);
            if (last.name().equals("pool")) {
                try {
                    JsonNode p = json.readTree(last.data());
                    pool.add(p);
                    if (p.get("event").asText().equals("allocate-done")) {
                        farm.agents().get(0).setFigures(IDLE);
                        farm.agents().get(1).setFigures(IDLE);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return pool.stream().anyMatch(p -> p.get("event").asText().equals("release-done"))
                    && pool.stream().filter(p -> p.get("event").asText().equals("hook-failed")).count() == 2;
        }, 90);

        List<String> membership = pool.stream().map(p -> p.get("event").asText())
                .filter(e -> !e.equals("hook-failed")).toList();
        assertEquals(List.of("allocate-started", "allocate-done", "release-started", "release-done"), membership,
                pool.toString());
        for (int i = 0; i < pool.size(); i++) {
            JsonNode p = pool.get(i);
            assertEquals("S", p.get("host").asText(), p.toString());
            assertTrue(p.get("timeMillis").asLong() > 0 && !p.get("detail").asText().isEmpty(), p.toString());
            if (i > 0) {
                assertEquals(pool.get(i - 1).get("seq").asLong() + 1, p.get("seq").asLong(), "each event once, in"
                        + " order: " + pool);
            }
        }
        List<JsonNode> failures = pool.stream().filter(p -> p.get("event").asText().equals("hook-failed")).toList();
        assertTrue(failures.get(0).get("detail").asText().contains("exit 3")
                && failures.get(0).get("detail").asText().contains("attempt 1 of 2"), failures.toString());
        assertTrue(failures.get(1).get("detail").asText().contains("given up"), failures.toString());
        assertTrue(events.stream().filter(e -> e.name().equals("pool")).allMatch(e -> Long.parseLong(e.id()) >= 0));
    }

    @Test
    void aClientThatConnectsLaterGetsTheRecentPoolEventsAsXml() throws Exception {
        startManager();
        dev.spillway.testkit.Await.until("S allocated", () -> manager.pool().allocations() == 1);
        List<StreamEvents.Event> events = StreamEvents.readUntil(HTTP, request("/api/stream")
                .header("Accept", "application/xml").build(), read -> read.stream().anyMatch(e ->
                e.name().equals("pool") && e.data().contains("allocate-done")), 60);
        List<Element> pool = new ArrayList<>();
        for (StreamEvents.Event e : events) {
            if (e.name().equals("pool")) {
                pool.add(DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new ByteArrayInputStream(e.data().getBytes(StandardCharsets.UTF_8)))
                        .getDocumentElement());
            }
        }
        assertEquals("pool", pool.get(0).getTagName());
        assertEquals("allocate-started", text(pool.get(0), "event"));
        assertEquals("S", text(pool.get(0), "host"));
        assertEquals("1", text(pool.get(0), "seq"));
        assertTrue(pool.stream().anyMatch(p -> text(p, "event").equals("allocate-done")));
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(manager.httpUrl() + path));
    }
}
