package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What OffloadFilter must do inside a real container, configured only through the webapp's real web.xml. Each
 * container runs the same contract (see the Jetty and Tomcat subclasses).
 */
abstract class FilterInContainerContract {
    static final String CONTEXT = "/app";
    static final Path WEBAPP = Path.of("src/test/resources/webapp");
    static final byte[] SECRET = "test-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    private ServletContainer container;

    abstract ServletContainer newContainer();

    ServletContainer started(Path webapp, int threads) throws Exception {
        container = newContainer();
        container.start(webapp, CONTEXT, threads);
        return container;
    }

    ServletContainer started() throws Exception {
        ServletContainer c = started(WEBAPP, 8);
        assertNull(c.startupFailure());
        return c;
    }

    @AfterEach
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    FilterMXBean filter() {
        return JMX.newMXBeanProxy(mbeans, ObjectNames.filter(CONTEXT), FilterMXBean.class);
    }

    /** Asks the filter to move every eligible request, so "eligible" and "chosen" show on the counters. */
    FilterMXBean offloadingEverything() {
        FilterMXBean f = filter();
        f.applyDirective("PROXY", new String[] {"b"}, 1.0, 60_000);
        return f;
    }

    @Test
    void registersItsMXBeanAndUnregistersItOnStop() throws Exception {
        started();
        assertTrue(mbeans.isRegistered(ObjectNames.filter(CONTEXT)));
        FilterMXBean f = filter();
        assertEquals(CONTEXT, f.getContextPath());
        assertEquals("LOCAL", f.getDirectiveMode());
        assertEquals(List.of("b=http://127.0.0.1:9/app"), List.of(f.getPeers()));
        container.close();
        container = null;
        assertFalse(mbeans.isRegistered(ObjectNames.filter(CONTEXT)));
        assertEquals(Set.of(), mbeans.queryNames(ObjectNames.allFilters(), null));
    }

    @Test
    void aRedeployLeavesExactlyOneMXBeanAndNoThread() throws Exception {
        int port = started().port();
        RawHttp.get(port, "/app/catalog/item");
        Set<ObjectName> before = mbeans.queryNames(ObjectNames.allFilters(), null);
        container.redeploy();
        assertEquals(before, mbeans.queryNames(ObjectNames.allFilters(), null));
        assertEquals(0, filter().getRequests(), "a redeployed filter starts afresh");
        container.close();
        container = null;
        assertEquals(List.of(), spillwayThreads(), "threads left behind");
    }

    @Test
    void eachWebappInTheJvmHasItsOwnMXBean() throws Exception {
        container = newContainer();
        container.start(WEBAPP, CONTEXT, 8, "/app2", "");
        assertNull(container.startupFailure());
        int port = container.port();
        assertEquals(Set.of(ObjectNames.filter("/app"), ObjectNames.filter("/app2"), ObjectNames.filter("")),
                mbeans.queryNames(ObjectNames.allFilters(), null));
        RawHttp.get(port, "/app2/catalog/item");
        RawHttp.get(port, "/app2/catalog/item");
        FilterMXBean second = JMX.newMXBeanProxy(mbeans, ObjectNames.filter("/app2"), FilterMXBean.class);
        assertEquals(2, second.getRequests());
        assertEquals(0, filter().getRequests());
        assertEquals("dev.spillway:type=Filter,context=ROOT", ObjectNames.filter("").toString());
    }

    static List<String> spillwayThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().toLowerCase(java.util.Locale.ROOT).contains("spillway")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void decidesEligibilityPerPage() throws Exception {
        int port = started().port();
        FilterMXBean f = offloadingEverything();
        assertEquals("PROXY", f.getDirectiveMode());

        assertCounted(f, port, "/app/catalog/item", 1);
        assertCounted(f, port, "/app/catalog/item?q=a%26b", 1);
        assertCounted(f, port, "/app/admin/users", 0);
        assertCounted(f, port, "/app/cart/view", 0);
        assertCounted(f, port, "/app/checkout.do", 0);

        long eligible = f.getEligible();
        assertEquals(200, RawHttp.send(port, "POST", "/app/catalog/item").status());
        assertEquals(200, RawHttp.send(port, "HEAD", "/app/catalog/item").status());
        assertEquals(eligible + 1, f.getEligible(), "HEAD moves, POST does not");

        String marker = new HopMarker(SECRET, 30_000, System::currentTimeMillis).issue("b", "GET",
                "http://127.0.0.1:" + port + "/app/catalog/item");
        assertCounted(f, port, "/app/catalog/item", 0, "Spillway-Hop: " + marker);
        assertCounted(f, port, "/app/catalog/item?spillway-hop=" + marker, 0);
        assertCounted(f, port, "/app/catalog/item", 1, "Spillway-Hop: 1.forged");
    }

    @Test
    void aRequestWithAValidSessionStaysHere() throws Exception {
        int port = started().port();
        FilterMXBean f = offloadingEverything();
        RawHttp.Response cart = RawHttp.get(port, "/app/cart/add");
        String cookie = cart.header("Set-Cookie");
        assertNotNull(cookie, cart.head());
        String session = cookie.substring(0, cookie.indexOf(';'));
        assertCounted(f, port, "/app/catalog/item", 0, "Cookie: " + session);
        assertCounted(f, port, "/app/catalog/item", 1, "Cookie: JSESSIONID=not-a-session-here");
        assertTrue(RawHttp.get(port, "/app/cart/add", "Cookie: " + session).body().contains("cart 2"),
                "the session is intact");
    }

    @Test
    void aLeaseThatEndsTurnsTheFilterLocal() throws Exception {
        int port = started().port();
        FilterMXBean f = filter();
        // A lease long enough that reading it back cannot outlast it on a busy machine; then wait for its end.
        f.applyDirective("REDIRECT", new String[] {"b"}, 1.0, 2_000);
        assertEquals("REDIRECT", f.getDirectiveMode());
        Await.until("the lease ends", () -> "LOCAL".equals(f.getDirectiveMode()));
        assertCounted(f, port, "/app/catalog/item", 0);
    }

    @Test
    void anUnknownTargetIsRefusedOverJmx() throws Exception {
        started();
        FilterMXBean f = filter();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> f.applyDirective("PROXY", new String[] {"http://evil.example"}, 1.0, 60_000));
        assertTrue(e.getMessage().contains("evil.example"), e.getMessage());
        assertEquals("LOCAL", f.getDirectiveMode());
    }

    /** At least 20 ways of reaching a denied or stateful page; none may be judged eligible, each is answered. */
    @Test
    void noPathTrickMakesADeniedOrStatefulPageEligible() throws Exception {
        int port = started().port();
        FilterMXBean f = offloadingEverything();
        assertCounted(f, port, "/app/catalog/item", 1); // the probe below can see an eligible request
        String[] tricks = {
            "/app/admin", "/app/admin/", "/app/admin;x=1", "/app/admin/;x=1/users", "/app/public/..;/admin",
            "/app/%2e/admin", "/app/%2561dmin", "/app/%61dmin", "/app/adm%69n/users", "//app/admin", "/app//admin",
            "/app/ADMIN", "/app/Admin/users", "/app/admin.", "/app/admin./users", "/app/admin%2fusers",
            "/app/admin%2Fusers", "/app/public%5c..%5cadmin", "/app/public\\..\\admin", "/app/catalog/../admin",
            "/app/catalog/%2e%2e/admin", "/app/catalog/%2E%2E/admin", "/app/./admin", "/app/admin/.",
            "/app/admin%00", "/app/%u0061dmin", "/app/admin%20", "/app/cart/view;jsessionid=abc",
            "/app/CART/view", "/app/cart%2fview", "/app/cart/view.", "/app/CheckOut.DO", "/app/checkout.do/",
            "/app/catalog/..%2fadmin", "/app/catalog%2f..%2fadmin", "/app/admin?next=/app/catalog/item",
            "http://127.0.0.1:" + port + "/app/admin", "http://evil.example/app/admin",
        };
        assertTrue(tricks.length >= 20);
        List<String> moved = new ArrayList<>();
        for (String t : tricks) {
            long eligible = f.getEligible();
            long chosen = f.getChosen();
            RawHttp.Response r = RawHttp.get(port, t);
            assertTrue(r.status() >= 200 && r.status() < 600, t + " was not answered");
            if (f.getEligible() != eligible || f.getChosen() != chosen) {
                moved.add(t + " (" + r.status() + ")");
            }
        }
        assertEquals(List.of(), moved, "judged eligible");
    }

    @Test
    void aTypoInWebXmlFailsStartupNamingTheKey(@TempDir Path tmp) throws Exception {
        Path webapp = copyWebappWith(tmp, "<param-name>deny</param-name>", "<param-name>denny</param-name>");
        ServletContainer c = started(webapp, 8);
        String failure = c.startupFailure();
        assertNotNull(failure, "the webapp must not start with an unknown key");
        assertTrue(failure.contains("denny") && failure.contains("not a known setting"), failure);
        assertFalse(mbeans.isRegistered(ObjectNames.filter(CONTEXT)));
    }

    @Test
    void aBadValueFailsStartupNamingKeyValueAndExpectedForm(@TempDir Path tmp) throws Exception {
        Path webapp = copyWebappWith(tmp, "<param-value>/admin/*</param-value>", "<param-value>admin*</param-value>");
        String failure = started(webapp, 8).startupFailure();
        assertNotNull(failure);
        assertTrue(failure.contains("deny") && failure.contains("'admin*'") && failure.contains("url-pattern"),
                failure);
    }

    @Test
    void aChosenRequestTheProxyCannotTakeIsServedHereAndCountedByReason(@TempDir Path tmp) throws Exception {
        String filterAsync = "<async-supported>true</async-supported>\n    <!-- Most settings";
        Path webapp = copyWebappWith(tmp, filterAsync, filterAsync.replace("true", "false"));
        ServletContainer c = started(webapp, 8);
        assertNull(c.startupFailure());
        FilterMXBean f = offloadingEverything();   // PROXY: needs async support, which this mapping does not give
        long declined = f.getDeclined().get("no-async-support");
        long fellBack = f.getFellBack();
        RawHttp.Response r = RawHttp.get(c.port(), "/app/catalog/1");
        assertEquals(200, r.status(), r.head());
        assertEquals(declined + 1, f.getDeclined().get("no-async-support"), "the decline is counted by its reason");
        assertEquals(fellBack, f.getFellBack(), "a decline is not a fallback from a failed peer");
        assertEquals(0L, f.getDeclined().get("response-committed"));
    }

    @Test
    void aFilterMappedTwiceOverAPathCountsAndDecidesEachRequestOnce(@TempDir Path tmp) throws Exception {
        String mapping = "<dispatcher>ASYNC</dispatcher>\n  </filter-mapping>";
        Path webapp = copyWebappWith(tmp, mapping, mapping + "\n  <filter-mapping><filter-name>spillway</filter-name>"
                + "<url-pattern>/catalog/*</url-pattern></filter-mapping>");
        ServletContainer c = started(webapp, 8);
        assertNull(c.startupFailure());
        FilterMXBean f = offloadingEverything();
        long requests = f.getRequests();
        assertCounted(f, c.port(), "/app/catalog/1", 1);
        assertEquals(requests + 1, f.getRequests());
    }

    @Test
    void anEmbeddedAgentServesThisFilterOverJmxAndIsGoneWithTheWebapp(@TempDir Path tmp) throws Exception {
        int jmxPort = Ports.free();
        String param = "<init-param><param-name>deny</param-name>";
        Path webapp = copyWebappWith(tmp, param,
                "<init-param><param-name>agent</param-name><param-value>embedded</param-value></init-param>\n"
                + "<init-param><param-name>agent.jmx.port</param-name><param-value>" + jmxPort
                + "</param-value></init-param>\n"
                + "<init-param><param-name>agent.host.id</param-name><param-value>web-1</param-value></init-param>\n"
                + param);
        ServletContainer c = started(webapp, 8);
        assertNull(c.startupFailure());
        javax.management.remote.JMXServiceURL url = new javax.management.remote.JMXServiceURL(
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        try (javax.management.remote.JMXConnector jmx = javax.management.remote.JMXConnectorFactory.connect(url)) {
            dev.spillway.agent.contract.AgentMXBean agent = JMX.newMXBeanProxy(jmx.getMBeanServerConnection(),
                    ObjectNames.agent(), dev.spillway.agent.contract.AgentMXBean.class);
            assertEquals("web-1", agent.getHostId());
            Await.until("the agent watches the filter", () -> agent.getWatchedFilters() >= 1);
            assertEquals(1, agent.getWatchedFilters());
            agent.applyDirective("REDIRECT", new String[] {"b"}, 0.5, 10_000);
            assertEquals("REDIRECT", filter().getDirectiveMode(), "the agent relays directives to the filter");
        }
        c.close();
        assertFalse(mbeans.isRegistered(ObjectNames.agent()));
        // This JVM was the connector's RMI client just now, so RMI closes the listener a moment after the unexport
        // rather than during it (as SecureJmxServerTest.closeFreesThePort found): free within a bounded wait, not
        // at once. A CI run with a CPU hog beside it found the port still bound the instant after close().
        Await.until("the agent's port is free again", () -> bindable(jmxPort));
    }

    private static boolean bindable(int port) {
        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return again.getLocalPort() == port;
        } catch (java.io.IOException stillBound) {
            return false;
        }
    }

    @Test
    void aTypoInAnAgentKeyFailsStartupNamingThePrefixedKey(@TempDir Path tmp) throws Exception {
        String param = "<init-param><param-name>deny</param-name>";
        Path webapp = copyWebappWith(tmp, param,
                "<init-param><param-name>agent.jmx.prot</param-name><param-value>1</param-value></init-param>\n"
                + param);
        String failure = started(webapp, 8).startupFailure();
        assertNotNull(failure);
        assertTrue(failure.contains("agent.jmx.prot") && failure.contains("not a known setting"), failure);
    }

    /** The probe's figures move while slow requests fill a small worker pool, and settle once they end. */
    @Test
    void loadFiguresRiseWhileSlowRequestsSaturateThePool() throws Exception {
        ServletContainer c = started(WEBAPP, 4);
        assertNull(c.startupFailure());
        int port = c.port();
        FilterMXBean f = filter();
        int clients = 12;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<RawHttp.Response>> calls = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                calls.add(pool.submit(() -> RawHttp.get(port, "/app/slow?ms=600")));
            }
            int maxQueue = 0;
            int maxInFlight = 0;
            long maxDelay = -1;
            // Sample while the calls run: the delay maximum covers a sliding window, which may have moved
            // past the waits by the time the last call ends on a slow machine.
            for (int i = 0; i < 400 && !calls.stream().allMatch(Future::isDone); i++) {
                maxQueue = Math.max(maxQueue, f.getQueueLength());
                maxInFlight = Math.max(maxInFlight, f.getInFlight());
                maxDelay = Math.max(maxDelay, f.getQueueDelayMaxMillis());
                Thread.sleep(25);
            }
            for (Future<RawHttp.Response> call : calls) {
                assertEquals(200, call.get().status());
            }
            assertTrue(maxInFlight >= 2, "in flight peaked at " + maxInFlight);
            assertTrue(maxQueue >= 4, "queue length peaked at " + maxQueue + " (source " + f.getQueueSource() + ")");
            assertTrue(maxDelay >= 300, "queued requests waited; max delay "
                    + maxDelay + " ms (source " + f.getQueueDelaySource() + ")");
            // the filter counts a request out after its response may already have reached the client
            Await.until("everything finished (in flight back to 0)", () -> f.getInFlight() == 0);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A webapp whose filter never probes peer b (port 9 refuses): a refused probe would make b suspect. */
    ServletContainer startedWithoutPeerChecks(Path tmp, int threads) throws Exception {
        Path webapp = copyWebappWith(tmp, "<init-param><param-name>deny</param-name>",
                "<init-param><param-name>redirectCheckInterval</param-name><param-value>0ms</param-value></init-param>"
                        + "<init-param><param-name>deny</param-name>");
        ServletContainer c = started(webapp, threads);
        assertNull(c.startupFailure());
        return c;
    }

    /** The answers to the slow requests that filled the workers and to the quick ones queued behind them. */
    record Queued(List<RawHttp.Response> slow, List<RawHttp.Response> quick) {
        long moved() {
            return java.util.stream.Stream.concat(slow.stream(), quick.stream()).filter(r -> r.status() == 307).count();
        }
    }

    /**
     * Fills every worker with a slow request, applies the permit, then queues {@code queued} quick page requests
     * behind them; returns all answers once all calls are done. One slow request may not have reached a worker when
     * the permit came (the wait allows a worker busy with a job of the container's own), and is then as movable as
     * the quick ones: the assertions count moves over both.
     */
    Queued queueBehindBusyWorkers(int port, FilterMXBean f, int queued, Runnable permit) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            assertEquals(200, RawHttp.get(port, "/app/catalog/item").status()); // Tomcat's pool is found by a request
            int workers = f.getMaxWorkers();
            assertTrue(workers > 0, "the pool's size is known: " + workers);
            List<Future<RawHttp.Response>> slow = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                slow.add(pool.submit(() -> RawHttp.get(port, "/app/slow?ms=1500")));
            }
            // all of them, or all but one if the container runs a job of its own on one worker
            Await.until("the workers busy with slow requests", () -> f.getInFlight() >= workers - 1);
            permit.run(); // now: the slow requests arriving together would have spilled each other
            List<Future<RawHttp.Response>> quick = new ArrayList<>();
            for (int i = 0; i < queued; i++) {
                quick.add(pool.submit(() -> RawHttp.get(port, "/app/catalog/item")));
            }
            List<RawHttp.Response> slowAnswers = new ArrayList<>();
            for (Future<RawHttp.Response> s : slow) {
                slowAnswers.add(s.get());
            }
            assertTrue(slowAnswers.stream().filter(r -> r.status() == 307).count() <= 1,
                    "the slow requests in flight before the permit were served here: " + slowAnswers);
            List<RawHttp.Response> out = new ArrayList<>();
            for (Future<RawHttp.Response> q : quick) {
                out.add(q.get());
            }
            return new Queued(slowAnswers, out);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBackedUpPoolSpillsQueuedRequestsWithinThePermitAndServesTheRest(@TempDir Path tmp) throws Exception {
        int port = startedWithoutPeerChecks(tmp, 4).port();
        FilterMXBean f = filter();
        Queued q = queueBehindBusyWorkers(port, f, 8, () -> {
            f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {1000}, 60_000);
            assertEquals("REDIRECT", f.getDirectiveMode());
            assertEquals(1000, f.getPermitBudgets()[0], 1e-9);
        });
        List<RawHttp.Response> quick = q.quick();
        long moved = quick.stream().filter(r -> r.status() == 307).count();
        long here = quick.stream().filter(r -> r.status() == 200).count();
        assertEquals(8, moved + here, "every queued request answered, moved or served: " + quick);
        assertTrue(moved >= 1, "requests that waited behind others spilled");
        quick.stream().filter(r -> r.status() == 307).forEach(r -> assertTrue(
                r.head().contains("Location: http://127.0.0.1:9/app/catalog/item?" + HopMarker.QUERY_PARAM + "="),
                r.head()));
        assertEquals(q.moved(), f.getSpilled());
        assertEquals(q.moved(), f.getOffloaded());
    }

    @Test
    void aPoolWithAFreeWorkerNeverSpills(@TempDir Path tmp) throws Exception {
        int port = startedWithoutPeerChecks(tmp, 8).port();
        FilterMXBean f = filter();
        f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {1000}, 60_000);
        for (int i = 0; i < 30; i++) {
            assertEquals(200, RawHttp.get(port, "/app/catalog/item").status());
        }
        assertEquals(0, f.getSpilled());
        assertEquals(0, f.getOffloaded());
        assertTrue(f.getServedHere() >= 30, "served here: " + f.getServedHere());
        assertTrue(f.getServiceMicrosTotal() > 0);
    }

    /** A webapp whose filter keeps {@code reserve} workers free (spillReserve) and never probes peer b. */
    ServletContainer startedWithReserve(Path tmp, int threads, String reserve) throws Exception {
        Path webapp = copyWebappWith(tmp, "<init-param><param-name>deny</param-name>",
                "<init-param><param-name>redirectCheckInterval</param-name><param-value>0ms</param-value></init-param>"
                        + "<init-param><param-name>spillReserve</param-name><param-value>" + reserve
                        + "</param-value></init-param><init-param><param-name>deny</param-name>");
        ServletContainer c = started(webapp, threads);
        assertNull(c.startupFailure());
        return c;
    }

    /**
     * Holds {@code busy} workers with slow requests, applies a permit, then sends one quick request; returns its
     * answer. The slow requests hold their workers far longer than the quick request takes (checked).
     */
    RawHttp.Response oneRequestBeside(int port, FilterMXBean f, int busy) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(busy + 1);
        try {
            List<Future<RawHttp.Response>> slow = new ArrayList<>();
            for (int i = 0; i < busy; i++) {
                slow.add(pool.submit(() -> RawHttp.get(port, "/app/slow?ms=15000")));
            }
            Await.until("the slow requests holding " + busy + " workers", () -> f.getInFlight() >= busy);
            // and no job of the container's own (a connection's close event) holding one more for a moment
            Await.until("the pool holding the slow requests only", () -> f.getQueueLength() == busy);
            f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {1000}, 60_000);
            RawHttp.Response quick = RawHttp.get(port, "/app/catalog/item");
            assertTrue(slow.stream().noneMatch(Future::isDone), "the slow requests still held their workers");
            return quick;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withAReserveTheRequestThatTakesThePoolsLastFreeWorkerSpills(@TempDir Path tmp) throws Exception {
        int port = startedWithReserve(tmp, 4, "1").port();
        FilterMXBean f = filter();
        assertEquals(200, RawHttp.get(port, "/app/catalog/item").status()); // Tomcat's pool is found by a request
        int workers = f.getMaxWorkers();
        assertTrue(workers > 1, "the pool's size is known: " + workers);
        RawHttp.Response quick = oneRequestBeside(port, f, workers - 1);
        assertEquals(307, quick.status(), "nobody waits, but no worker would be left for the next arrival: "
                + quick.head());
        assertEquals(1, f.getSpilled());
    }

    @Test
    void withAReserveAPoolWithAFreeWorkerAfterThisRequestNeverSpills(@TempDir Path tmp) throws Exception {
        int port = startedWithReserve(tmp, 6, "1").port();
        FilterMXBean f = filter();
        assertEquals(200, RawHttp.get(port, "/app/catalog/item").status());
        int workers = f.getMaxWorkers();
        assertTrue(workers > 3, "the pool's size is known: " + workers);
        // Two free after it, not one: Tomcat counts a task from submission to its end, and a connection's task that
        // has just handed its socket back to the poller can still be counted for a moment beside the next one.
        RawHttp.Response quick = oneRequestBeside(port, f, workers - 3);
        assertEquals(200, quick.status(), "workers stay free after it: " + quick.head());
        assertEquals(0, f.getSpilled());
    }

    @Test
    void withoutAReserveTheRequestThatTakesTheLastFreeWorkerIsServedHere(@TempDir Path tmp) throws Exception {
        int port = startedWithReserve(tmp, 4, "0").port();
        FilterMXBean f = filter();
        assertEquals(200, RawHttp.get(port, "/app/catalog/item").status());
        int workers = f.getMaxWorkers();
        assertTrue(workers > 1, "the pool's size is known: " + workers);
        RawHttp.Response quick = oneRequestBeside(port, f, workers - 1);
        assertEquals(200, quick.status(), "nobody waits behind it: served here, as before the reserve: "
                + quick.head());
        assertEquals(0, f.getSpilled());
    }

    @Test
    void aBackedUpPoolWithoutAPermitCountsItsRequestsAsOverBudget(@TempDir Path tmp) throws Exception {
        int port = startedWithoutPeerChecks(tmp, 4).port();
        FilterMXBean f = filter();
        assertEquals(200, RawHttp.get(port, "/app/catalog/item").status());
        assertEquals(0, f.getSpillOverBudget(), "a request with free workers found nothing backed up");
        // No permit: the manager granted none (no target had spare) or its lease ran out. The requests that find
        // the pool backed up had no budget at all; the manager must see them as this host's unmet need.
        Queued q = queueBehindBusyWorkers(port, f, 8, () -> assertEquals("LOCAL", f.getDirectiveMode()));
        assertEquals(0, q.moved(), "nothing moves without a permit");
        assertEquals(8, q.quick().stream().filter(r -> r.status() == 200).count(), "all served here");
        assertTrue(f.getSpillOverBudget() >= 1, "requests that waited behind others found no budget to spill with");
        assertTrue(f.getSpillOverBudget() <= 8 + 1, "only the queued pages (and one slow page) count: "
                + f.getSpillOverBudget());
    }

    @Test
    void aSpentBudgetServesTheRestHere(@TempDir Path tmp) throws Exception {
        int port = startedWithoutPeerChecks(tmp, 4).port();
        FilterMXBean f = filter();
        long start = System.nanoTime();
        // one request now, then one per 10 s
        Queued q = queueBehindBusyWorkers(port, f, 8,
                () -> f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {0.1}, 60_000));
        long elapsedSeconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        long moved = q.moved();
        assertTrue(moved >= 1, "the budget's first request spilled");
        assertTrue(moved <= 1 + elapsedSeconds / 10, moved + " moved in " + elapsedSeconds + " s on 0.1/s");
        assertTrue(f.getSpillOverBudget() >= 1, "the others found the budget spent and were served here");
        long quickMoved = q.quick().stream().filter(r -> r.status() == 307).count();
        assertEquals(8 - quickMoved, q.quick().stream().filter(r -> r.status() == 200).count());
    }

    @Test
    void aPermitNeverMovesAStatefulOrDeniedPage(@TempDir Path tmp) throws Exception {
        int port = startedWithoutPeerChecks(tmp, 4).port();
        FilterMXBean f = filter();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            assertEquals(200, RawHttp.get(port, "/app/catalog/item").status());
            int workers = f.getMaxWorkers();
            List<Future<RawHttp.Response>> slow = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                slow.add(pool.submit(() -> RawHttp.get(port, "/app/slow?ms=1000")));
            }
            Await.until("the workers busy", () -> f.getInFlight() >= workers - 1);
            f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {1000}, 60_000);
            List<Future<RawHttp.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(pool.submit(() -> RawHttp.get(port, "/app/cart/add")));
                calls.add(pool.submit(() -> RawHttp.get(port, "/app/admin/x")));
                calls.add(pool.submit(() -> RawHttp.send(port, "POST", "/app/catalog/item")));
            }
            for (Future<RawHttp.Response> c : calls) {
                assertFalse(c.get().status() == 307, "moved: " + c.get().head());
            }
            // only a slow page (eligible) that had not reached a worker before the permit may have moved
            long slowMoved = 0;
            for (Future<RawHttp.Response> s : slow) {
                slowMoved += s.get().status() == 307 ? 1 : 0;
            }
            assertTrue(slowMoved <= 1, slowMoved + " slow pages moved");
            assertEquals(slowMoved, f.getOffloaded());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPermitForAnUnknownTargetIsRefusedAndNothingChanges() throws Exception {
        started();
        FilterMXBean f = filter();
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> f.applyPermit("PROXY", new String[] {"http://evil.example"}, new double[] {10}, 3_000));
        assertTrue(String.valueOf(rootMessage(e)).contains("not a configured peer"), rootMessage(e));
        assertEquals("LOCAL", f.getDirectiveMode());
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> f.applyPermit("PROXY", new String[] {"b"}, new double[] {-1}, 3_000));
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> f.applyPermit("PROXY", new String[] {"b"}, new double[] {1, 2}, 3_000));
        assertEquals("LOCAL", f.getDirectiveMode());
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    void assertCounted(FilterMXBean f, int port, String target, int expected, String... headers) throws Exception {
        long eligible = f.getEligible();
        long chosen = f.getChosen();
        RawHttp.Response r = RawHttp.get(port, target, headers);
        assertEquals(200, r.status(), target + "\n" + r.head());
        assertEquals(eligible + expected, f.getEligible(), "eligible count after " + target);
        assertEquals(chosen + expected, f.getChosen(), "chosen count after " + target);
    }

    static Path copyWebappWith(Path tmp, String from, String to) throws Exception {
        Path webInf = Files.createDirectories(tmp.resolve("webapp/WEB-INF"));
        String xml = Files.readString(WEBAPP.resolve("WEB-INF/web.xml"));
        assertTrue(xml.contains(from));
        Files.writeString(webInf.resolve("web.xml"), xml.replace(from, to));
        return tmp.resolve("webapp");
    }
}
