package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile requests against the real OffloadFilter in a real container (issue 12, items 7 and 9): a hop marker
 * replayed on another request or stuffed into the query many times, WebSocket upgrades, method overrides, and a
 * regex deny rule against decoded line terminators. None may be exempted from moving by a marker it does not own,
 * and none of the shapes that are not plain fetches may be judged eligible.
 */
abstract class HostileEligibilityContract {
    private static final String REGEX_DENY = "<param-value>/admin/*, regex:/secret/.*</param-value>";

    @TempDir
    Path tmp;
    private ServletContainer container;
    private int port;
    private FilterMXBean filter;

    abstract ServletContainer newContainer();

    private void start() throws Exception {
        start(REGEX_DENY);
    }

    private void start(String denyParam) throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "<param-value>/admin/*</param-value>",
                denyParam);
        container = newContainer();
        container.start(webapp, FilterInContainerContract.CONTEXT, 8);
        assertNull(container.startupFailure());
        port = container.port();
        filter = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                ObjectNames.filter(FilterInContainerContract.CONTEXT), FilterMXBean.class);
        filter.applyDirective("PROXY", new String[] {"b"}, 1.0, 60_000);
        assertEligible(1, "GET", "/app/catalog/item"); // the probe can see an eligible request
    }

    @AfterEach
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    private String marker(String method, String pathAndQuery) {
        return marker("b", method, pathAndQuery);
    }

    private String marker(String target, String method, String pathAndQuery) {
        return new HopMarker(FilterInContainerContract.SECRET, 30_000, System::currentTimeMillis)
                .issue(target, method, "http://127.0.0.1:" + port + pathAndQuery);
    }

    /** Sends the request and checks whether the filter judged it eligible (1) or not (0). */
    private void assertEligible(int expected, String method, String target, String... headers) throws Exception {
        long eligible = filter.getEligible();
        RawHttp.Response r = RawHttp.send(port, method, target, headers);
        assertTrue(r.status() >= 200 && r.status() < 500, method + " " + target + "\n" + r.head());
        assertEquals(eligible + expected, filter.getEligible(), "eligible count after " + method + " " + target);
    }

    @Test
    void aMarkerExemptsOnlyTheRequestItWasIssuedFor() throws Exception {
        start();
        String token = marker("GET", "/app/catalog/item?page=1&sort=up");
        assertEligible(0, "GET", "/app/catalog/item?page=1&sort=up&spillway-hop=" + token);
        assertEligible(0, "GET", "/app/catalog/item?page=1&sort=up", "Spillway-Hop: " + token);

        assertEligible(1, "GET", "/app/catalog/other?page=1&sort=up&spillway-hop=" + token);
        assertEligible(1, "GET", "/app/catalog/item?page=2&sort=up&spillway-hop=" + token);
        assertEligible(1, "GET", "/app/catalog/item?page=1&spillway-hop=" + token);
        assertEligible(1, "GET", "/app/catalog/item?page=1&sort=up&pin=1&spillway-hop=" + token);
        assertEligible(1, "GET", "/app/catalog/item", "Spillway-Hop: " + token);
        assertEligible(1, "HEAD", "/app/catalog/item?page=1&sort=up", "Spillway-Hop: " + token);
    }

    @Test
    void aMarkerIssuedForAnotherHostIsRefusedHere() throws Exception {
        start(REGEX_DENY + "</init-param>\n<init-param><param-name>self</param-name><param-value>a</param-value>");
        assertEligible(1, "GET", "/app/catalog/item", "Spillway-Hop: " + marker("b", "GET", "/app/catalog/item"));
        assertEligible(0, "GET", "/app/catalog/item", "Spillway-Hop: " + marker("a", "GET", "/app/catalog/item"));
    }

    @Test
    void aQueryStuffedWithMarkersIsNotMarked() throws Exception {
        start();
        String token = marker("GET", "/app/catalog/item");
        StringBuilder q = new StringBuilder("/app/catalog/item?spillway-hop=").append(token);
        for (int i = 0; i < 40; i++) {
            q.append("&spillway-hop=").append(token);
        }
        assertEligible(1, "GET", q.toString());
        assertEligible(1, "GET", "/app/catalog/item?spillway-hop=" + token, "Spillway-Hop: " + token);
        assertEligible(1, "GET", "/app/catalog/item", "Spillway-Hop: " + token, "Spillway-Hop: " + token);
        assertEligible(0, "GET", "/app/catalog/item", "Spillway-Hop: " + token);
    }

    @Test
    void upgradesAndMethodOverridesAreNeverEligible() throws Exception {
        start();
        assertEligible(0, "GET", "/app/catalog/item", "Upgrade: websocket", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
        assertEligible(0, "GET", "/app/catalog/item", "Connection: Upgrade", "Upgrade: h2c, websocket");
        // an h2c-only offer (Java's HttpClient makes one on every plain-HTTP request) is a plain fetch: see
        // EligibilityTest and the distribution tests, whose GETs all carry it
        for (String h : new String[] {"X-HTTP-Method-Override: DELETE", "X-HTTP-Method: PUT",
            "X-Method-Override: PATCH", "x-http-method-override: GET"}) {
            assertEligible(0, "GET", "/app/catalog/item", h);
            assertEligible(0, "HEAD", "/app/catalog/item", h);
        }
        for (String q : new String[] {"_method=DELETE", "a=1&_method=PUT", "%5Fmethod=DELETE", "_METHOD=delete"}) {
            assertEligible(0, "GET", "/app/catalog/item?" + q);
        }
        assertEligible(1, "GET", "/app/catalog/item?method=card");
    }

    @Test
    void aRegexDenyRuleCatchesDecodedLineTerminators() throws Exception {
        start();
        for (String t : new String[] {"%E2%80%A8", "%E2%80%A9", "%C2%85", "x%E2%80%A8y"}) {
            assertEligible(0, "GET", "/app/secret/" + t);
            assertEligible(1, "GET", "/app/public/" + t); // the same characters elsewhere are movable
        }
        assertEligible(0, "GET", "/app/secret/plain");
    }
}
