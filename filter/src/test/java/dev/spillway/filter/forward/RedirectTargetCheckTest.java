package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.filter.peers.Peer;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedirectTargetCheckTest {

    @Test
    void aRedirectTargetThatRefusesConnectionsIsMarkedSuspectAndOneThatListensIsNot() throws IOException {
        try (ServerSocket live = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Peer up = Peer.parse("up=http://127.0.0.1:" + live.getLocalPort() + "/x");
            Peer down = Peer.parse("down=http://127.0.0.1:" + closedPort() + "/x");
            Peer idle = Peer.parse("idle=http://127.0.0.1:" + closedPort() + "/x");
            PeerHealth health = new PeerHealth(List.of(up, down, idle), 10_000, System::nanoTime);
            RedirectTargetCheck check = new RedirectTargetCheck(List.of(up, down, idle), health, 60_000, 250,
                    System::nanoTime);
            try {
                check.redirected(up);
                check.redirected(down);
                check.checkNow();
                assertFalse(health.isSuspect(up), "a listening peer stays usable");
                assertTrue(health.isSuspect(down), "a refusing peer is skipped");
                assertFalse(health.isSuspect(idle), "a peer nothing is redirected to is not probed");
            } finally {
                check.close();
            }
        }
    }

    @Test
    void itsThreadStartsWithTheFirstRedirectAndEndsWithClose() throws Exception {
        Peer down = Peer.parse("down=http://127.0.0.1:" + closedPort() + "/x");
        PeerHealth health = new PeerHealth(List.of(down), 10_000, System::nanoTime);
        RedirectTargetCheck check = new RedirectTargetCheck(List.of(down), health, 20, 250, System::nanoTime);
        assertFalse(checkThreadRuns(), "no redirect yet, no thread");
        check.redirected(down);
        Await.until("the background round found the dead peer", () -> health.isSuspect(down));
        assertTrue(checkThreadRuns());
        check.close();
        assertFalse(checkThreadRuns(), "close() ends the thread");
        check.redirected(down);
        assertFalse(checkThreadRuns(), "and nothing restarts it");
    }

    @Test
    void anIntervalOfZeroNeverChecks() throws IOException {
        Peer down = Peer.parse("down=http://127.0.0.1:" + closedPort() + "/x");
        PeerHealth health = new PeerHealth(List.of(down), 10_000, System::nanoTime);
        RedirectTargetCheck check = new RedirectTargetCheck(List.of(down), health, 0, 250, System::nanoTime);
        check.redirected(down);
        check.checkNow();
        assertFalse(health.isSuspect(down));
        assertFalse(checkThreadRuns());
        check.close();
    }

    private static boolean checkThreadRuns() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("spillway-redirect-target-check") && t.isAlive());
    }

    private static int closedPort() {
        return Ports.free();
    }
}
