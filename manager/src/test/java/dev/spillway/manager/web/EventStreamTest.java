package dev.spillway.manager.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/events} from a real {@link WebServer}: a snapshot at once, then an update after each cycle. */
class EventStreamTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static FixedConsole console;
    static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        console = FixedConsole.samples();
        server = WebServer.start("127.0.0.1", 0, null, console);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSnapshotFirstThenAnUpdatePerCycle() throws Exception {
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/events")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        try (Stream<String> lines = r.body()) {
            Iterator<String> it = lines.iterator();
            JsonNode snapshot = next(it, "snapshot");
            assertEquals(3, snapshot.get("hosts").size(), snapshot.toString());
            assertEquals(3, snapshot.at("/history/A/t").size(), "the whole history kept: " + snapshot);
            assertEquals("A", snapshot.at("/decisions/0/host").asText());
            // A moved 30/s to C within a 60/s budget and 12.25/s to B within 12.5; C proxies to A by fraction
            JsonNode flows = snapshot.get("flows");
            assertEquals(JSON.readTree("[{\"from\":\"A\",\"to\":\"B\",\"perSecond\":12.25,\"budget\":12.5},"
                    + "{\"from\":\"A\",\"to\":\"C\",\"perSecond\":30,\"budget\":60},"
                    + "{\"from\":\"C\",\"to\":\"A\",\"perSecond\":0,\"budget\":null}]"), flows);

            console.cycles++;
            JsonNode update = next(it, "update");
            assertEquals(console.cycles, update.get("cycle").asLong());
            assertEquals(1, update.at("/history/A/t").size(), "only the newest sample: " + update);
            assertEquals(3, update.get("hosts").size());
        }
    }

    @Test
    void streamsAreLimitedAndAPageThatLeftFreesItsPlace() throws Exception {
        FixedConsole own = FixedConsole.samples();
        try (WebServer limited = WebServer.start("127.0.0.1", 0, null, own)) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest events = HttpRequest.newBuilder(URI.create(limited.url() + "/api/events")).build();
            java.util.List<java.io.InputStream> open = new java.util.ArrayList<>();
            for (int i = 0; i < EventStream.MAX_SUBSCRIBERS; i++) {
                HttpResponse<java.io.InputStream> r = client.send(events, HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, r.statusCode(), "stream " + i);
                open.add(r.body());
            }
            HttpResponse<String> refused = client.send(events, HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode());
            assertEquals("too many event streams open (at most " + EventStream.MAX_SUBSCRIBERS + ")",
                    JSON.readTree(refused.body()).get("error").asText());

            for (java.io.InputStream in : open) {
                in.close();
            }
            // a closed page is noticed when an event to it fails: let cycles pass until a new page gets in
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                own.cycles++;
                Thread.sleep(200);
                HttpResponse<java.io.InputStream> r = client.send(events, HttpResponse.BodyHandlers.ofInputStream());
                status = r.statusCode();
                r.body().close();
            }
            assertEquals(200, status, "a place was freed after the pages went away");
        }
    }

    /** The data of the next event named {@code name}; fails on another event. Heartbeat comments are skipped. */
    private static JsonNode next(Iterator<String> lines, String name) throws Exception {
        String event = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                assertEquals(name, event, "event name");
                assertTrue(!line.contains("<") && !line.contains(">"), "text escaped as in the API: " + line);
                return JSON.readTree(line.substring(6));
            }
        }
        throw new AssertionError("the stream ended before a " + name + " event");
    }
}
