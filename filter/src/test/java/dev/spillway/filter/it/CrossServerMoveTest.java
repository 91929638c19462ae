package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.contract.PeerStats;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests moved by the real OffloadFilter between two real servers: Jetty serving context /a and Tomcat serving
 * /b, each filter naming the other as its peer, configured through web.xml and a properties file as a user would.
 */
class CrossServerMoveTest {
    private static final String SECRET = "cross-server-secret-0123456789";

    @TempDir
    Path tmp;
    private JettyContainer jetty;
    private TomcatContainer tomcat;
    private FilterMXBean a;
    private FilterMXBean b;

    @BeforeEach
    void startBoth() throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "classpath:spillway-test.properties",
                tmp.resolve("peer.properties").toString());
        // Ports are known only once both run: start with a placeholder peer, then write the real one and redeploy.
        writeConfig(9, 9);
        jetty = new JettyContainer();
        jetty.start(webapp, "/a", 8);
        tomcat = new TomcatContainer();
        tomcat.start(webapp, "/b", 8);
        assertNull(jetty.startupFailure());
        assertNull(tomcat.startupFailure());
        writeConfig(tomcat.port(), jetty.port());
        jetty.redeploy();
        tomcat.redeploy();
        a = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), ObjectNames.filter("/a"),
                FilterMXBean.class);
        b = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), ObjectNames.filter("/b"),
                FilterMXBean.class);
        assertEquals("http://127.0.0.1:" + tomcat.port() + "/b", a.getPeers()[0].substring(2));
    }

    /** The file both webapps read; each filter finds its own peer under its own id. */
    private void writeConfig(int tomcatPort, int jettyPort) throws Exception {
        Files.writeString(tmp.resolve("peer.properties"), String.join("\n",
                "stateful = /cart/*",
                "peers = b=http://127.0.0.1:" + tomcatPort + "/b, a=http://127.0.0.1:" + jettyPort + "/a",
                "hopSecret = " + SECRET,
                "connectTimeout = 250ms",
                ""));
    }

    @AfterEach
    void stopBoth() throws Exception {
        if (jetty != null) {
            jetty.close();
        }
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    void proxyModeServesAMovedRequestOnThePeerExactlyOnceEvenWhenBothPointAtEachOther() throws Exception {
        a.applyDirective("PROXY", new String[] {"b"}, 1.0, 60_000);
        b.applyDirective("PROXY", new String[] {"a"}, 1.0, 60_000);
        long aRequests = a.getRequests();
        long bRequests = b.getRequests();

        RawHttp.Response r = RawHttp.get(jetty.port(), "/a/catalog/item?id=%C3%A9t%C3%A9&x=1");
        assertEquals(200, r.status(), r.head());
        assertEquals("page /catalog/item at /b", r.body());
        assertEquals(aRequests + 1, a.getRequests());
        assertEquals(bRequests + 1, b.getRequests(), "B saw the moved request once");
        awaitEquals(1, a::getOffloaded, "A counts the move once the response has ended");
        assertEquals(0, b.getOffloaded(), "B served the marked request itself, never bounced it back");
        assertEquals(0, b.getEligible());
        PeerStats toB = peer(a, "b");
        assertEquals(1, toB.getMoved());
        assertEquals(0, toB.getFailed());
        assertTrue(toB.getMeanLatencyMillis() >= 0, "latency to B measured");

        RawHttp.Response fromB = RawHttp.get(tomcat.port(), "/b/search");
        assertEquals("page /search at /a", fromB.body(), "and the other way round");
    }

    @Test
    void redirectModeSendsA307ToThePeerWhichServesItWithoutBouncing() throws Exception {
        a.applyDirective("REDIRECT", new String[] {"b"}, 1.0, 60_000);
        b.applyDirective("REDIRECT", new String[] {"a"}, 1.0, 60_000);

        RawHttp.Response r = RawHttp.get(jetty.port(), "/a/catalog/7?q=a%20b", "X-Forwarded-Host: evil.example");
        assertEquals(307, r.status(), r.head());
        String location = r.header("Location");
        assertNotNull(location);
        String prefix = "http://127.0.0.1:" + tomcat.port() + "/b/catalog/7?q=a%20b";
        assertTrue(location.startsWith(prefix), location);
        assertEquals("no-store", r.header("Cache-Control"));

        RawHttp.Response followed = RawHttp.get(tomcat.port(), location.substring(location.indexOf("/b/")));
        assertEquals(200, followed.status(), "the marked request is served, not redirected again");
        assertEquals("page /catalog/7 at /b", followed.body());
        assertEquals(0, b.getOffloaded());
    }

    @Test
    void statefulDeniedAndNonIdempotentRequestsStayHere() throws Exception {
        a.applyDirective("PROXY", new String[] {"b"}, 1.0, 60_000);
        assertEquals("page /admin/users at /a", RawHttp.get(jetty.port(), "/a/admin/users").body());
        assertEquals("cart 1", RawHttp.get(jetty.port(), "/a/cart/add").body());
        RawHttp.Response post = RawHttp.send(jetty.port(), "POST", "/a/catalog/1");
        assertEquals("page /catalog/1 at /a", post.body(), "a POST is never moved");
        assertEquals(0, a.getOffloaded());
        assertEquals(0, b.getRequests(), "nothing reached B");
    }

    @Test
    void aPeerThatStopsCostsNoRequestAndIsSkippedAfterItsFirstFailure() throws Exception {
        a.applyDirective("PROXY", new String[] {"b"}, 1.0, 60_000);
        assertEquals("page /catalog/1 at /b", RawHttp.get(jetty.port(), "/a/catalog/1").body());
        awaitEquals(1, a::getOffloaded, "the first request moved");
        tomcat.close();
        tomcat = null;

        List<String> bodies = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<RawHttp.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(clients.submit(() -> RawHttp.get(jetty.port(), "/a/catalog/2")));
            }
            for (Future<RawHttp.Response> call : calls) {
                RawHttp.Response r = call.get();
                assertEquals(200, r.status(), r.head());
                bodies.add(r.body());
            }
        } finally {
            clients.shutdownNow();
        }
        assertTrue(bodies.stream().allMatch("page /catalog/2 at /a"::equals), bodies.toString());
        PeerStats toB = peer(a, "b");
        assertTrue(toB.isSuspect(), "B is skipped for its back-off");
        assertTrue(toB.getFellBack() >= 1, "the first failure fell back locally");
        assertEquals(21, a.getFellBack() + a.getOffloaded(), "every chosen request either moved or fell back");
        assertTrue(toB.getFellBack() <= 4, "only requests already on their way tried the dead peer: "
                + toB.getFellBack());
    }

    @Test
    void aRedirectTargetThatStopsIsFoundWithinACheckIntervalAndItsShareIsServedHere() throws Exception {
        a.applyDirective("REDIRECT", new String[] {"b"}, 1.0, 60_000);
        assertEquals(307, RawHttp.get(jetty.port(), "/a/catalog/1").status(), "redirects go to B");
        tomcat.close();
        tomcat = null;

        // The client would connect to B itself, so A cannot see it die from its requests: its check must.
        // (redirectCheckInterval: default 1 s; the wait below only bounds "never".)
        long end = System.nanoTime() + Await.PATIENCE_MILLIS * 1_000_000L;
        RawHttp.Response r = RawHttp.get(jetty.port(), "/a/catalog/2");
        int tries = 1;
        while (r.status() == 307 && System.nanoTime() - end < 0) {
            Thread.sleep(50);
            r = RawHttp.get(jetty.port(), "/a/catalog/2");
            tries++;
        }
        assertEquals(200, r.status(), "still redirecting to a dead peer after " + tries + " tries: " + r.head());
        assertEquals("page /catalog/2 at /a", r.body());
        assertTrue(peer(a, "b").isSuspect(), "B is skipped for its back-off");
        for (int i = 0; i < 10; i++) {
            assertEquals(200, RawHttp.get(jetty.port(), "/a/catalog/3").status(), "and stays skipped");
        }
    }

    /**
     * Counters of a move are updated when its exchange ends, a moment after the client has the response: a moment
     * that a loaded machine stretches, so only "never" is bounded.
     */
    private static void awaitEquals(long expected, LongSupplier actual, String what) {
        Await.eventually(Await.PATIENCE_MILLIS, () -> actual.getAsLong() == expected);
        assertEquals(expected, actual.getAsLong(), what);
    }

    private static PeerStats peer(FilterMXBean f, String id) {
        for (PeerStats s : f.getPeerStats()) {
            if (s.getPeer().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no stats for peer " + id);
    }
}
