package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 8: a welcome-file URL moved between Jetty (/a) and Tomcat (/b), each directed at the other. Tomcat
 * maps {@code /catalog/} to {@code /catalog/index.html} before any filter runs, Jetty does not; the marker must
 * still be recognised on either side, so the request is served by the peer and never moved a second time.
 */
class CrossServerWelcomeFileTest {
    private static final String SECRET = "cross-server-secret-0123456789";

    @TempDir
    Path tmp;
    private JettyContainer jetty;
    private TomcatContainer tomcat;
    private FilterMXBean a;
    private FilterMXBean b;

    @BeforeEach
    void startBoth() throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "</web-app>",
                "  <welcome-file-list><welcome-file>index.html</welcome-file></welcome-file-list>\n</web-app>");
        Files.writeString(webapp.resolve("WEB-INF/web.xml"), Files.readString(webapp.resolve("WEB-INF/web.xml"))
                .replace("classpath:spillway-test.properties", tmp.resolve("peer.properties").toString()));
        Files.createDirectories(webapp.resolve("catalog"));
        Files.writeString(webapp.resolve("catalog/index.html"), "the catalog");
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
        // Each container maps the welcome-file URL its own way (the difference this test is about):
        assertEquals("page /catalog/ at /a", RawHttp.get(jetty.port(), "/a/catalog/").body());
        assertEquals("page /catalog/index.html at /b", RawHttp.get(tomcat.port(), "/b/catalog/").body());
    }

    private void writeConfig(int tomcatPort, int jettyPort) throws Exception {
        Files.writeString(tmp.resolve("peer.properties"), String.join("\n",
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
    void aRedirectedWelcomeFileUrlIsServedByThePeerInBothDirections() throws Exception {
        a.applyDirective("REDIRECT", new String[] {"b"}, 1.0, 60_000);
        b.applyDirective("REDIRECT", new String[] {"a"}, 1.0, 60_000);

        RawHttp.Response toB = RawHttp.get(jetty.port(), "/a/catalog/?view=grid");
        assertEquals(307, toB.status(), toB.head());
        String location = toB.header("Location");
        assertNotNull(location);
        RawHttp.Response atB = RawHttp.get(tomcat.port(), location.substring(location.indexOf("/b/")));
        assertEquals(200, atB.status(), "Tomcat must honour Jetty's marker, not redirect again: " + atB.head());
        assertEquals("page /catalog/index.html at /b", atB.body());
        assertEquals(0, b.getEligible(), "the marked request was never eligible at B");

        RawHttp.Response toA = RawHttp.get(tomcat.port(), "/b/catalog/?view=list");
        assertEquals(307, toA.status(), toA.head());
        String back = toA.header("Location");
        RawHttp.Response atA = RawHttp.get(jetty.port(), back.substring(back.indexOf("/a/")));
        assertEquals(200, atA.status(), "Jetty must honour Tomcat's marker: " + atA.head());
        assertTrue(atA.body().startsWith("page /catalog/"), atA.body());
        assertEquals(1, a.getOffloaded());
        assertEquals(1, b.getOffloaded());
    }

    @Test
    void aProxiedWelcomeFileUrlIsServedByThePeerExactlyOnceInBothDirections() throws Exception {
        a.applyDirective("PROXY", new String[] {"b"}, 1.0, 60_000);
        b.applyDirective("PROXY", new String[] {"a"}, 1.0, 60_000);

        RawHttp.Response viaA = RawHttp.get(jetty.port(), "/a/catalog/?view=grid");
        assertEquals(200, viaA.status(), viaA.head());
        assertEquals("page /catalog/index.html at /b", viaA.body());
        awaitEquals(1, a::getOffloaded, "A moved it once");
        assertEquals(0, b.getOffloaded(), "B served it, never moved it back");

        RawHttp.Response viaB = RawHttp.get(tomcat.port(), "/b/catalog/?view=list");
        assertEquals(200, viaB.status(), viaB.head());
        assertTrue(viaB.body().endsWith(" at /a"), viaB.body());
        awaitEquals(1, b::getOffloaded, "B moved it once");
        assertEquals(1, a.getOffloaded(), "A served it, never moved it back");
    }

    // Counters of a move are updated when its exchange ends, a moment after the client has the response.
    private static void awaitEquals(long expected, LongSupplier actual, String what) {
        Await.eventually(Await.PATIENCE_MILLIS, () -> actual.getAsLong() == expected);
        assertEquals(expected, actual.getAsLong(), what);
    }
}
