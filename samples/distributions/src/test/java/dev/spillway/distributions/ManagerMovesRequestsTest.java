package dev.spillway.distributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spillway.testkit.Ports;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole product across real distributions: the manager's runnable JAR as its own process; a Jetty 12, a
 * Tomcat 11 and a Tomcat 10.1 distribution, each with the unchanged sample WAR, whose filter starts the JVM's
 * embedded agent ({@code agent = embedded}) that registers with the manager; every server lists the other two as
 * its peers. An operator drains a host through the manager's HTTP API, and its eligible requests go to the other
 * distribution, while stateful, denied and non-idempotent requests stay; enable, and it serves everything itself
 * again. The servers and the manager are started once and shared by the tests, which run in order and leave every
 * host enabled.
 *
 * <p>Which peer the manager picks for a drained host is its choice (lowest score); to know which distribution a
 * request must land on, a test drains every host but the intended target, so that one is the only eligible target.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagerMovesRequestsTest {
    static final String TOKEN = "distribution-test-token-0123456789";
    static final Duration POLL = Duration.ofMillis(500);
    static final int LEASE_INTERVALS = 3;
    /** Generous bound for anything the manager does "within a cycle or two": a busy build machine is slow. */
    static final Duration SETTLE = Duration.ofSeconds(60);

    /** A server in the test: its host id (agent host id = peer id = X-Served-By), distribution and ports. */
    record Node(String id, Distribution dist, int port, int jmxPort) {
        String baseUrl() {
            return "http://127.0.0.1:" + port + "/shop";
        }
    }

    final Map<Distribution, Node> nodes = new LinkedHashMap<>();
    final Map<String, RunningServer> servers = new LinkedHashMap<>();
    /** Kept when a test fails: it holds every server's and the manager's log. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    Path managerConfig;
    int managerHttpPort;
    ManagerProcess manager;

    @BeforeAll
    void startManagerAndServers() throws Exception {
        managerHttpPort = Ports.free();
        int managerJmxPort = Ports.free();
        nodes.put(Distribution.JETTY_12, new Node("jetty", Distribution.JETTY_12, Ports.free(), Ports.free()));
        nodes.put(Distribution.TOMCAT_11, new Node("tomcat11", Distribution.TOMCAT_11, Ports.free(), Ports.free()));
        nodes.put(Distribution.TOMCAT_10, new Node("tomcat10", Distribution.TOMCAT_10, Ports.free(), Ports.free()));

        // Thresholds out of reach: no host may turn overloaded because the build machine is busy, so the only
        // moves are the operator's drains and every idle peer stays an eligible target.
        managerConfig = dir.resolve("manager.properties");
        Files.writeString(managerConfig, String.join("\n",
                "http.host = 127.0.0.1",
                "http.port = " + managerHttpPort,
                "token = " + TOKEN,
                "jmx.host = 127.0.0.1",
                "jmx.port = " + managerJmxPort,
                "registration.announce = 500ms",
                "poll.interval = " + POLL.toMillis() + "ms",
                "lease.intervals = " + LEASE_INTERVALS,
                "offload.mode = REDIRECT",
                "threshold.queueLength.high = 1000000", "threshold.queueLength.low = 999999",
                "threshold.queueDelay.high = 1h", "threshold.queueDelay.low = 59m",
                "threshold.cpu.high = 1", "threshold.cpu.low = 0.99",
                "threshold.memory.high = 1", "threshold.memory.low = 0.99",
                "threshold.responseRatio.high = 1000", "threshold.responseRatio.low = 999", ""));
        manager = ManagerProcess.start(managerConfig, managerHttpPort, dir.resolve("manager.log"));

        String managerUrl = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + managerJmxPort + "/jmxrmi";
        for (Node n : nodes.values()) {
            List<String> peers = new ArrayList<>();
            for (Node other : nodes.values()) {
                if (other != n) {
                    peers.add(other.id() + "=" + other.baseUrl());
                }
            }
            Path conf = dir.resolve(n.id() + ".properties");
            Files.writeString(conf, String.join("\n",
                    "peers = " + String.join(", ", peers),
                    "hopSecret = " + DropInTest.SECRET,
                    "agent = embedded",
                    "agent.host.id = " + n.id(),
                    "agent.host.web-base-url = " + n.baseUrl(),
                    "agent.jmx.port = " + n.jmxPort(),
                    "agent.manager.url = " + managerUrl,
                    "agent.manager.register-interval = 2s",
                    "agent.sample.interval = 250ms", ""));
            servers.put(n.id(), n.dist().start(dir.resolve(n.id()), n.port(), conf, n.id()));
        }
        for (RunningServer s : servers.values()) {
            s.awaitUp(Duration.ofSeconds(90));
        }
        awaitAllOk();
    }

    @AfterAll
    void stopAll() throws Exception {
        for (RunningServer s : servers.values()) {
            s.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    /** A failed test must not leave a host drained for the next one. */
    @AfterEach
    void enableEveryHost() throws Exception {
        for (Node n : nodes.values()) {
            manager.post(n.id(), "enable", TOKEN);
        }
    }

    @Test
    @Order(1)
    void everyServerRegistersAndServesLocallyUntilDrained() throws Exception {
        // One missed poll on a busy machine makes a host briefly not ok: judge a table in which every host is ok.
        Map<String, Map<String, Object>> hosts = awaitAllOk();
        for (Node n : nodes.values()) {
            Map<String, Object> h = hosts.get(n.id());
            assertEquals("ok", h.get("state"), n.id() + ": " + h);
            assertEquals("registered", h.get("source"), n.id() + ": " + h);
            assertEquals(n.baseUrl(), h.get("webBaseUrl"), n.id() + ": " + h);
            // a standing permit at most (the manager grants them in advance): nothing moves while the pool has workers
            assertEquals(0.0, ((Number) offload(h).get("fraction")).doubleValue(), n.id() + ": " + h);
            HttpResponse<String> r = server(n).get("/catalog/1");
            assertEquals(200, r.statusCode(), n.id());
            assertEquals(n.id(), servedBy(r));
        }
        // The operator's API is guarded by the token: nothing is drained without it.
        assertEquals(401, manager.post("jetty", "drain", null).statusCode());
        assertEquals(403, manager.post("jetty", "drain", TOKEN + "x").statusCode());
        assertEquals(404, manager.post("nobody", "drain", TOKEN).statusCode());
        assertEquals(Boolean.FALSE, manager.host("jetty").orElseThrow().get("drained"));
    }

    /** Jetty → Tomcat: Jetty and the other Tomcat are drained, so the named Tomcat is the only eligible target. */
    @ParameterizedTest
    @EnumSource(names = {"TOMCAT_11", "TOMCAT_10"})
    @Order(2)
    void drainedJettyRedirectsEligibleRequestsToTomcat(Distribution tomcat) throws Exception {
        Node target = nodes.get(tomcat);
        Node jetty = nodes.get(Distribution.JETTY_12);
        Node otherTomcat = nodes.get(tomcat == Distribution.TOMCAT_11 ? Distribution.TOMCAT_10 : Distribution.TOMCAT_11);
        drainMoveEnable(List.of(jetty, otherTomcat), target, "REDIRECT");
    }

    /** Tomcat → Jetty: both Tomcats are drained, so Jetty is the only eligible target for each. */
    @Test
    @Order(3)
    void drainedTomcatsRedirectEligibleRequestsToJetty() throws Exception {
        drainMoveEnable(List.of(nodes.get(Distribution.TOMCAT_11), nodes.get(Distribution.TOMCAT_10)),
                nodes.get(Distribution.JETTY_12), "REDIRECT");
    }

    /**
     * The same manager JAR restarted with {@code offload.mode=PROXY} on the same ports: the agents register again
     * by themselves, and a drained host now serves its eligible requests through the peer (the answer comes from
     * the peer's webapp) instead of redirecting. Both directions again.
     */
    @Test
    @Order(4)
    void afterARestartInProxyModeDrainedHostsProxyToTheOtherDistribution() throws Exception {
        manager.close();
        manager = ManagerProcess.start(managerConfig, managerHttpPort, dir.resolve("manager-proxy.log"),
                "--offload.mode=PROXY");
        awaitAllOk();
        Node jetty = nodes.get(Distribution.JETTY_12);
        Node tomcat11 = nodes.get(Distribution.TOMCAT_11);
        Node tomcat10 = nodes.get(Distribution.TOMCAT_10);
        drainMoveEnable(List.of(jetty, tomcat10), tomcat11, "PROXY");
        drainMoveEnable(List.of(tomcat11, tomcat10), jetty, "PROXY");
    }

    // ---- one drain / move / enable round ------------------------------------------------------------------------

    private void drainMoveEnable(List<Node> drained, Node target, String mode) throws Exception {
        for (Node n : drained) {
            HttpResponse<String> r = manager.post(n.id(), "drain", TOKEN);
            assertEquals(200, r.statusCode(), "drain " + n.id() + ": " + r.body());
        }
        for (Node n : drained) {
            awaitManager(n.id() + " draining to " + target.id(), h -> "draining".equals(h.get(n.id()).get("state"))
                    && mode.equals(offload(h.get(n.id())).get("mode"))
                    && List.of(target.id()).equals(offload(h.get(n.id())).get("targets")));
            awaitServer(n.id() + " moves /catalog to " + target.id(), () -> isMoved(n, "/catalog/0", target, mode));
            // Every eligible request now goes, one after the other; nothing else does.
            for (String page : List.of("/catalog/1", "/catalog/2?color=red", "/search?q=lamp", "/work")) {
                assertMoved(n, page, target, mode);
            }
            assertStaysLocal(n, "GET", "/cart/add?item=1");      // stateful
            assertStaysLocal(n, "GET", "/admin/users");          // denied
            assertStaysLocal(n, "POST", "/catalog/3");           // only GET and HEAD may move
            assertStaysLocal(n, "GET", "/health");               // denied in web.xml
        }
        // The target itself is not moved anywhere.
        assertStaysLocal(target, "GET", "/catalog/4");

        for (Node n : drained) {
            HttpResponse<String> r = manager.post(n.id(), "enable", TOKEN);
            assertEquals(200, r.statusCode(), "enable " + n.id() + ": " + r.body());
        }
        long enabled = System.nanoTime();
        long lease = POLL.toMillis() * LEASE_INTERVALS;
        for (Node n : drained) {
            awaitServer(n.id() + " serves /catalog itself again", () -> isLocal(n, "GET", "/catalog/5"));
            long took = (System.nanoTime() - enabled) / 1_000_000;
            System.out.printf("%s: %s stopped moving %d ms after enable (lease %d ms)%n", mode, n.id(), took, lease);
            for (String page : List.of("/catalog/6", "/search?q=lamp", "/work")) {
                assertStaysLocal(n, "GET", page);
            }
            // back to a standing permit at most: no fraction moves its requests any more
            awaitManager(n.id() + " ok and no longer drained", h -> "ok".equals(h.get(n.id()).get("state"))
                    && ((Number) offload(h.get(n.id())).get("fraction")).doubleValue() == 0.0);
        }
    }

    private boolean isMoved(Node from, String page, Node to, String mode) throws Exception {
        HttpResponse<String> r = server(from).get(page);
        if (mode.equals("REDIRECT")) {
            return r.statusCode() == 307
                    && r.headers().firstValue("Location").orElse("").startsWith(to.baseUrl() + pathOf(page));
        }
        return r.statusCode() == 200 && to.id().equals(servedBy(r));
    }

    private void assertMoved(Node from, String page, Node to, String mode) throws Exception {
        HttpResponse<String> r = server(from).get(page);
        String where = from.id() + " " + page;
        if (mode.equals("PROXY")) {
            assertEquals(200, r.statusCode(), where + ": " + r.body());
            assertEquals(to.id(), servedBy(r), where + " is served by the peer, through " + from.id());
            return;
        }
        assertEquals(307, r.statusCode(), where + ": " + r.body());
        String location = r.headers().firstValue("Location").orElse("");
        assertTrue(location.startsWith(to.baseUrl() + pathOf(page)), where + " redirects to " + to.id() + ": " + location);
        if (page.contains("?")) {
            assertTrue(location.contains(page.substring(page.indexOf('?') + 1)), where + " keeps its query: " + location);
        }
        // A client following the redirect is served there (the hop marker keeps it from being moved again).
        HttpResponse<String> followed = RunningServer.fetch("GET", location);
        assertEquals(200, followed.statusCode(), location + ": " + followed.body());
        assertEquals(to.id(), servedBy(followed), location);
    }

    private void assertStaysLocal(Node n, String method, String page) throws Exception {
        HttpResponse<String> r = server(n).send(method, page);
        assertEquals(200, r.statusCode(), method + " " + n.id() + " " + page + " stays: " + r.headers().map());
        assertEquals(n.id(), servedBy(r), method + " " + n.id() + " " + page + " is served by " + n.id());
        assertFalse(r.headers().firstValue("Location").isPresent(), method + " " + n.id() + " " + page);
    }

    private boolean isLocal(Node n, String method, String page) throws Exception {
        HttpResponse<String> r = server(n).send(method, page);
        return r.statusCode() == 200 && n.id().equals(servedBy(r));
    }

    // ---- waiting, bounded --------------------------------------------------------------------------------------

    private Map<String, Map<String, Object>> awaitAllOk() throws Exception {
        return awaitManager("every host registered and ok", h -> {
            for (Node n : nodes.values()) {
                Map<String, Object> host = h.get(n.id());
                if (host == null || !"ok".equals(host.get("state"))) {
                    return false;
                }
            }
            return true;
        });
    }

    interface HostsCondition {
        boolean holds(Map<String, Map<String, Object>> hosts);
    }

    /** The first host table in which {@code condition} holds; fails after {@code SETTLE}. */
    private Map<String, Map<String, Object>> awaitManager(String what, HostsCondition condition) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Map<String, Map<String, Object>> last = Map.of();
        while (System.nanoTime() < deadline) {
            last = manager.hosts();
            try {
                if (condition.holds(last)) {
                    return last;
                }
            } catch (NullPointerException | ClassCastException notYet) {
                // a host not in the table yet, or a figure not known yet
            }
            Thread.sleep(100);
        }
        return fail("manager: not " + what + " within " + SETTLE + "; hosts " + last + "\nmanager log:\n"
                + manager.logTail());
    }

    private void awaitServer(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("not " + what + " within " + SETTLE + "; hosts " + manager.hosts() + "\nmanager log:\n" + manager.logTail());
    }

    // ---- small helpers -----------------------------------------------------------------------------------------

    private RunningServer server(Node n) {
        return servers.get(n.id());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> offload(Map<String, Object> host) {
        return (Map<String, Object>) host.get("offload");
    }

    private static String servedBy(HttpResponse<String> r) {
        return r.headers().firstValue("X-Served-By").orElse("(none)");
    }

    private static String pathOf(String page) {
        int q = page.indexOf('?');
        return q < 0 ? page : page.substring(0, q);
    }
}
