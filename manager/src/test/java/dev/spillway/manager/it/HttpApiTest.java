package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.config.ConfigValues;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("spillway-api");
        a = InProcessAgent.start(dir, "A", "queueDelayMillis=300\ncpu=0.5\nzone=eu\nrequestRate=250\n");
        b = InProcessAgent.start(dir, "B", "queueDelayMillis=10\ncpu=0.6\nzone=us\n");
        c = InProcessAgent.start(dir, "C", "queueDelayMillis=10\ncpu=0.2\nzone=eu\nresourceScope=cgroup-v2\n");
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", String.valueOf(ChildAgent.freePort()));
        m.put("poll.interval", "400ms");
        m.put("hysteresis.enter", "2");
        m.put("token", "s3cret-token-0123456789");
        m.put("hosts", "A,B,C");
        m.put("host.A.jmx", a.url);
        m.put("host.B.jmx", b.url);
        m.put("host.C.jmx", c.url);
        manager = Manager.start(ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer());
        Await.until("A offloading", () -> get("/api/hosts").body().contains("\"state\":\"overloaded\""));
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

    static String hostJson(String body, String id) {
        Matcher m = Pattern.compile("\\{\"id\":\"" + id + "\".*?\"reportedMode\":[^}]*\\}").matcher(body);
        assertTrue(m.find(), "no host " + id + " in " + body);
        return m.group();
    }

    private static final String ALL_OK = "all three polled in the last cycle";

    // A busy machine can make one poll miss its deadline; the assertions below are about a cycle that saw everyone.
    static HttpResponse<String> hostsWhenAllPolled() {
        HttpResponse<String>[] last = new HttpResponse[1];
        Await.until(ALL_OK, () -> {
            last[0] = get("/api/hosts");
            return !last[0].body().contains("\"state\":\"unknown\"") && last[0].body().contains("\"C\"");
        });
        return last[0];
    }

    @Test
    void hostsCarryTheContractFields() {
        HttpResponse<String> r = hostsWhenAllPolled();
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        String a = hostJson(r.body(), "A");
        assertTrue(a.matches("\\{\"id\":\"A\",\"state\":\"overloaded\",\"queueLength\":null,\"queueDelayMs\":300,"
                + "\"cpu\":0.5,\"memory\":null,\"stress\":[0-9.]+,\"offload\":\\{\"mode\":\"REDIRECT\","
                + "\"fraction\":0(\\.0)?,\"targets\":\\[\"C\",\"B\"\\],\"budgets\":\\[[0-9.]+,[0-9.]+\\].*"
                + "\"capacity\":\\{\"perSecond\":200(\\.0)?,.*"), a);
        assertTrue(hostJson(r.body(), "B").contains("\"state\":\"ok\""));
    }

    @Test
    void hostsSayWhereTheirCpuAndMemoryWereMeasured() {
        String body = hostsWhenAllPolled().body();
        assertTrue(hostJson(body, "C").contains("\"resourceScope\":\"cgroup-v2\""), body);
        assertTrue(hostJson(body, "A").contains("\"resourceScope\":\"machine\""), body);
    }

    @Test
    void routeListsHostsBestFirst() {
        // same zone preferred: C (eu, low stress) before B (us); A is overloaded and not listed
        String[] last = new String[1];
        Await.until("route lists both ok hosts", () -> {
            last[0] = get("/api/route?zone=eu").body();
            return last[0].contains("\"id\":\"B\"") && last[0].contains("\"id\":\"C\"");
        });
        String body = last[0];
        assertTrue(body.startsWith("[{\"id\":\"C\""), body);
        assertTrue(body.contains("\"id\":\"B\"") && !body.contains("\"id\":\"A\""), body);
    }

    @Test
    void decisionsAreInWords() {
        String body = get("/api/decisions").body();
        assertTrue(body.matches("(?s).*A may spill to C \\(\\d+ req/s\\), B \\(\\d+ req/s\\): overloaded.*"), body);
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
                String body = get("/api/hosts").body();
                return hostJson(body, "C").contains("\"state\":\"draining\"")
                        && !hostJson(body, "A").matches(".*\"targets\":\\[[^]]*\"C\".*");
            });
        } finally {
            assertEquals(200, post("/api/hosts/C/enable", "s3cret-token-0123456789").statusCode());
        }
        Await.until("C enabled again", () -> !hostJson(get("/api/hosts").body(), "C").contains("\"state\":\"draining\""));
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
