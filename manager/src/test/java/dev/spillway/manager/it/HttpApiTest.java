package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.settings.ConfigValues;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP side against a real manager polling three in-process scripted agents. */
class HttpApiTest {
    static InProcessAgent a;
    static InProcessAgent b;
    static InProcessAgent c;
    static Manager manager;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("spillway-api");
        a = InProcessAgent.start(dir, "A", "queueDelayMillis=300\nsystemCpu=0.5\nzone=eu\nrequestRate=250\n");
        b = InProcessAgent.start(dir, "B", "queueDelayMillis=10\nsystemCpu=0.6\nzone=us\n");
        c = InProcessAgent.start(dir, "C", "queueDelayMillis=10\nsystemCpu=0.2\nzone=eu\nresourceScope=cgroup-v2\n");
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", "0");
        m.put("poll.interval", "400ms");
        m.put("hysteresis.enter", "2");
        m.put("token", "s3cret-token-0123456789");
        m.put("hosts", "A,B,C");
        m.put("host.A.jmx", a.url);
        m.put("host.B.jmx", b.url);
        m.put("host.C.jmx", c.url);
        manager = Manager.start(ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer());
        Await.until("A offloading",
                () -> json(get("/api/hosts").body()).findValuesAsText("state").contains("overloaded"));
    }

    @AfterAll
    static void stop() {
        manager.close();
        a.close();
        b.close();
        c.close();
    }

    static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(manager.httpUrl() + path)).GET());
    }

    static HttpResponse<String> post(String path, String token) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(manager.httpUrl() + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return send(r);
    }

    static HttpResponse<String> send(HttpRequest.Builder r) {
        try {
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** The host {@code id} of a {@code /api/hosts} answer. */
    static JsonNode host(JsonNode hosts, String id) {
        for (JsonNode h : hosts) {
            if (h.get("id").asText().equals(id)) {
                return h;
            }
        }
        throw new AssertionError("no host " + id + " in " + hosts);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static final String ALL_OK = "all three polled in the last cycle";

    // A busy machine can make one poll miss its deadline; the assertions below are about a cycle that saw everyone.
    static HttpResponse<String> hostsWhenAllPolled() {
        HttpResponse<String>[] last = new HttpResponse[1];
        Await.until(ALL_OK, () -> {
            last[0] = get("/api/hosts");
            JsonNode hosts = json(last[0].body());
            return hosts.size() == 3 && hosts.findValuesAsText("state").stream().noneMatch("unknown"::equals);
        });
        return last[0];
    }

    @Test
    void hostsCarryTheContractFields() {
        HttpResponse<String> r = hostsWhenAllPolled();
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode a = host(json(r.body()), "A");
        List<String> order = new ArrayList<>();
        a.fieldNames().forEachRemaining(order::add);
        assertEquals(List.of("id", "state", "queueLength", "queueDelayMs", "cpu", "memory", "stress", "offload"),
                order.subList(0, 8), a.toString());
        assertEquals("overloaded", a.get("state").asText());
        assertTrue(a.get("queueLength").isNull() && a.get("memory").isNull(), "unknown is null: " + a);
        assertEquals(300, a.get("queueDelayMs").asDouble());
        assertEquals(0.5, a.get("cpu").asDouble());
        assertTrue(a.get("stress").isNumber(), a.toString());
        JsonNode offload = a.get("offload");
        assertEquals("REDIRECT", offload.get("mode").asText());
        assertEquals(0, offload.get("fraction").asDouble());
        assertEquals(List.of("C", "B"), texts(offload.get("targets")));
        assertEquals(2, offload.get("budgets").size());
        offload.get("budgets").forEach(b -> assertTrue(b.isNumber(), offload.toString()));
        assertEquals(200, a.at("/capacity/perSecond").asDouble(), a.toString());
        assertEquals("ok", host(json(r.body()), "B").get("state").asText());
    }

    @Test
    void hostsSayWhereTheirCpuAndMemoryWereMeasured() {
        JsonNode hosts = json(hostsWhenAllPolled().body());
        assertEquals("cgroup-v2", host(hosts, "C").get("resourceScope").asText(), hosts.toString());
        assertEquals("machine", host(hosts, "A").get("resourceScope").asText(), hosts.toString());
    }

    @Test
    void routeListsHostsBestFirst() {
        // same zone preferred: C (eu, low stress) before B (us); A is overloaded and not listed
        List<String> ids = new ArrayList<>();
        Await.until("route lists both ok hosts", () -> {
            ids.clear();
            json(get("/api/route?zone=eu").body()).forEach(h -> ids.add(h.get("id").asText()));
            return ids.contains("B") && ids.contains("C");
        });
        assertEquals(List.of("C", "B"), ids);
    }

    @Test
    void decisionsAreInWords() {
        JsonNode decisions = json(get("/api/decisions").body());
        assertTrue(decisions.findValuesAsText("text").stream()
                .anyMatch(t -> t.matches("A may spill to C \\(\\d+ req/s\\), B \\(\\d+ req/s\\): overloaded.*")),
                decisions.toString());
    }

    @Test
    void metricsAreInPrometheusTextFormat() {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(r.body().contains("# TYPE spillway_host_stress gauge"), r.body());
        assertTrue(r.body().contains("spillway_host_queue_delay_seconds{host=\"A\"} 0.3"), r.body());
        assertTrue(r.body().contains("spillway_host_state{host=\"A\",state=\"overloaded\"} 1"), r.body());
        assertTrue(r.body().contains("spillway_manager_cycles_total"), r.body());
        for (String reason : List.of("first", "renewal", "mode", "targets", "cut", "grew", "local")) {
            // every reason is exported, 0 until one is sent for it, so a rate() over it never starts from nothing
            assertTrue(r.body().contains("spillway_manager_sends_total{reason=\"" + reason + "\"} "), r.body());
        }
        assertTrue(!r.body().contains("spillway_host_queue_length{host="), "unknown figures are not exported as 0");
    }

    @Test
    void drainAndEnableNeedTheToken() {
        assertEquals(401, post("/api/hosts/C/drain", null).statusCode());
        assertEquals(403, post("/api/hosts/C/drain", "wrong").statusCode());
        assertEquals(404, post("/api/hosts/nope/drain", "s3cret-token-0123456789").statusCode());
        assertEquals(405, get("/api/hosts/C/drain").statusCode());
        assertEquals(200, post("/api/hosts/C/drain", "s3cret-token-0123456789").statusCode());
        try {
            Await.until("C draining and out of A's targets", () -> {
                JsonNode hosts = json(get("/api/hosts").body());
                return host(hosts, "C").get("state").asText().equals("draining")
                        && !texts(host(hosts, "A").at("/offload/targets")).contains("C");
            });
        } finally {
            assertEquals(200, post("/api/hosts/C/enable", "s3cret-token-0123456789").statusCode());
        }
        Await.until("C enabled again",
                () -> !host(json(get("/api/hosts").body()), "C").get("state").asText().equals("draining"));
    }

    @Test
    void dashboardIsServedWithoutExternalResources() {
        HttpResponse<String> r = get("/");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<script src=\"dashboard.js\">"));
        assertTrue(!r.body().contains("http://") && !r.body().contains("https://"), "no CDN");
        assertEquals(404, get("/nothing").statusCode());
    }
}
