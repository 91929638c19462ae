package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.filter.Peer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PeerHealthTest {
    @Test
    void aSuspectPeerIsSkippedForTheBackoffThenTriedAgain() {
        AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
        Peer b = Peer.parse("b=http://h:1");
        Peer c = Peer.parse("c=http://h:2");
        PeerHealth health = new PeerHealth(List.of(b, c), 10_000, now::get);
        assertFalse(health.isSuspect(b));
        health.markSuspect(b);
        assertTrue(health.isSuspect(b));
        assertFalse(health.isSuspect(c));
        now.addAndGet(9_999_000_000L);
        assertTrue(health.isSuspect(b));
        now.addAndGet(1_000_000L);
        assertFalse(health.isSuspect(b));
        health.markSuspect(b);
        health.markHealthy(b);
        assertFalse(health.isSuspect(b));
    }

    @Test
    void countersShowPerPeerRowsWithSuspicion() {
        Peer b = Peer.parse("b=http://h:1");
        PeerHealth health = new PeerHealth(List.of(b), 10_000, System::nanoTime);
        PeerCounters counters = new PeerCounters(List.of(b), health);
        assertTrue(Double.isNaN(counters.snapshot().get(0).getMeanLatencyMillis()));
        counters.moved(b);
        counters.latency(b, 2_000_000);
        counters.latency(b, 4_000_000);
        counters.fellBack(b);
        counters.failed(b);
        health.markSuspect(b);
        var row = counters.snapshot().get(0);
        assertEquals("b", row.getPeer());
        assertEquals(1, row.getMoved());
        assertEquals(1, row.getFailed());
        assertEquals(1, row.getFellBack());
        assertEquals(3.0, row.getMeanLatencyMillis(), 1e-9);
        assertTrue(row.isSuspect());
    }
}
