package dev.spillway.manager.poll;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A drain lasts while the host is in the table: it leaves with the host, and a host that returns starts undrained. */
class HostTableDrainTest {
    private static final String URL = "service:jmx:rmi:///jndi/rmi://127.0.0.1:9999/jmxrmi";
    private static final long EXPIRY = 1_000;

    @Test
    void aDrainOutlivesRenewalsButNotExpiry() {
        HostTable table = new HostTable(List.of(), EXPIRY);
        table.register("web-1", URL, "", "", 0);
        assertTrue(table.setDrained("web-1", true));
        table.register("web-1", URL, "", "", 900);   // renewed before expiry: still the same host
        assertTrue(table.isDrained("web-1"));

        table.expire(900 + EXPIRY + 1);
        assertFalse(table.contains("web-1"));
        assertFalse(table.isDrained("web-1"), "an expired host's drain flag must not stay behind");

        table.register("web-1", URL, "", "", 5_000);
        assertFalse(table.isDrained("web-1"), "a host that left and registers again starts undrained");
    }

    @Test
    void aDrainEndsWithDeregistration() {
        HostTable table = new HostTable(List.of(), EXPIRY);
        table.register("web-1", URL, "", "", 0);
        table.setDrained("web-1", true);
        table.deregister("web-1");
        table.register("web-1", URL, "", "", 10);
        assertFalse(table.isDrained("web-1"));
    }

    @Test
    void aLateRegistrationThatReplacesAnExpiredBindingStartsUndrained() {
        HostTable table = new HostTable(List.of(), EXPIRY);
        table.register("web-1", URL, "", "", 0);
        table.setDrained("web-1", true);
        // no expire() ran in between: the registration itself finds the old binding expired
        table.register("web-1", URL.replace("9999", "9998"), "", "", EXPIRY + 5);
        assertFalse(table.isDrained("web-1"));
    }

    @Test
    void aConfiguredHostStaysDrainedUntilEnabled() {
        HostTable table = new HostTable(List.of(new HostEntry("web-c", URL, "", "", true, 0)), EXPIRY);
        table.setDrained("web-c", true);
        table.expire(10 * EXPIRY);
        table.deregister("web-c");
        assertTrue(table.isDrained("web-c"));
        assertTrue(table.setDrained("web-c", false));
        assertFalse(table.isDrained("web-c"));
    }

    @Test
    void anUnknownHostCannotBeDrained() {
        HostTable table = new HostTable(List.of(), EXPIRY);
        assertFalse(table.setDrained("ghost", true));
        assertFalse(table.isDrained("ghost"));
    }
}
