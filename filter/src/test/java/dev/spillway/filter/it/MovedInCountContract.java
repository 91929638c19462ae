package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter's {@code MovedInRequests} in a real container: a request that arrives with a valid hop marker (a peer
 * moved it here) counts, beside {@code Requests}; one with no marker, a forged one, one signed with another secret
 * or one issued for another request does not. The agent reports the count as the host's moved-in rate, which the
 * manager takes from its request rate to find its own load.
 */
abstract class MovedInCountContract {
    private static final String PAGE = "/app/catalog/item";

    @TempDir
    Path tmp;
    private ServletContainer container;
    private int port;
    private FilterMXBean filter;

    abstract ServletContainer newContainer();

    @BeforeEach
    void start() throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "<param-value>/admin/*</param-value>",
                "<param-value>/admin/*</param-value>");
        container = newContainer();
        container.start(webapp, FilterInContainerContract.CONTEXT, 8);
        assertNull(container.startupFailure());
        port = container.port();
        filter = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                ObjectNames.filter(FilterInContainerContract.CONTEXT), FilterMXBean.class);
    }

    @AfterEach
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    private String marker(byte[] secret, String pathAndQuery) {
        return new HopMarker(secret, 30_000, System::currentTimeMillis)
                .issue("b", "GET", "http://127.0.0.1:" + port + pathAndQuery);
    }

    /** Sends a GET and checks that it counted as a request, and as moved in {@code expected} times (0 or 1). */
    private void assertMovedIn(int expected, String target, String... headers) throws Exception {
        long requests = filter.getRequests();
        long movedIn = filter.getMovedInRequests();
        RawHttp.Response r = RawHttp.send(port, "GET", target, headers);
        assertTrue(r.status() >= 200 && r.status() < 500, target + "\n" + r.head());
        assertEquals(requests + 1, filter.getRequests(), "requests after " + target);
        assertEquals(movedIn + expected, filter.getMovedInRequests(), "moved-in count after " + target);
    }

    @Test
    void aSignedMovedRequestCountsAsMovedIn() throws Exception {
        assertEquals(0, filter.getMovedInRequests());
        assertMovedIn(1, PAGE, "Spillway-Hop: " + marker(FilterInContainerContract.SECRET, PAGE)); // proxied
        assertMovedIn(1, PAGE + "?spillway-hop=" + marker(FilterInContainerContract.SECRET, PAGE)); // redirected
        assertEquals(2, filter.getMovedInRequests());
    }

    @Test
    void anUnsignedOrForgedMarkerDoesNotCount() throws Exception {
        byte[] otherSecret = "another-secret-9876543210".getBytes(StandardCharsets.UTF_8);
        assertMovedIn(0, PAGE);
        assertMovedIn(0, PAGE, "Spillway-Hop: 1.forged");
        assertMovedIn(0, PAGE + "?spillway-hop=unsigned");
        assertMovedIn(0, PAGE, "Spillway-Hop: " + marker(otherSecret, PAGE));
        assertMovedIn(0, "/app/catalog/other", "Spillway-Hop: " + marker(FilterInContainerContract.SECRET, PAGE));
        assertEquals(0, filter.getMovedInRequests());
    }
}
