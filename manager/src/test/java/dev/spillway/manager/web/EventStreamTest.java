package dev.spillway.manager.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
            // raw sockets: one connection per page, whatever an HTTP client library does with idle streams
            URI base = URI.create(limited.url());
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < EventStream.MAX_SUBSCRIBERS; i++) {
                    Socket page = eventsRequest(base);
                    open.add(page);
                    assertEquals("HTTP/1.1 200 OK", statusLine(page), "stream " + i);
                }
                try (Socket refused = eventsRequest(base)) {
                    assertEquals("HTTP/1.1 503 Service Unavailable", statusLine(refused));
                    String body = body(refused);
                    assertTrue(body.contains("too many event streams open (at most " + EventStream.MAX_SUBSCRIBERS
                            + ")"), body);
                }
            } finally {
                for (Socket page : open) {
                    page.close();
                }
            }
            // a closed page is noticed when an event to it fails: let cycles pass until a new page gets in
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String status = "";
            while (!status.equals("HTTP/1.1 200 OK") && System.nanoTime() < deadline) {
                own.cycles++;
                Thread.sleep(200);
                try (Socket page = eventsRequest(base)) {
                    status = statusLine(page);
                }
            }
            assertEquals("HTTP/1.1 200 OK", status, "a place was freed after the pages went away");
        }
    }

    private static Socket eventsRequest(URI base) throws Exception {
        Socket s = new Socket(base.getHost(), base.getPort());
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** The rest of a response with a Content-Length (the connection stays open: HTTP/1.1 keep-alive). */
    private static String body(Socket s) throws Exception {
        int length = -1;
        for (String header = statusLine(s); !header.isEmpty(); header = statusLine(s)) {
            if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        assertTrue(length >= 0, "a Content-Length");
        return new String(s.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String statusLine(Socket s) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c; (c = s.getInputStream().read()) != -1 && c != '\n'; ) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
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
