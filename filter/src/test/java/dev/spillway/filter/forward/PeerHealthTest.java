package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.filter.peers.Peer;
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
    void aPeerMarkedHealthyWhileItsBackoffIsReadIsNotSuspect() {
        Peer b = Peer.parse("b=http://h:1");
        AtomicLong now = new AtomicLong(0);
        PeerHealth[] health = new PeerHealth[1];
        // The clock read is where another thread's markHealthy can slip in between two reads of the deadline.
        health[0] = new PeerHealth(List.of(b), 1, () -> {
            health[0].markHealthy(b);
            return now.get();
        });
        health[0].markSuspect(b);                    // suspect until 1 ms (the markHealthy in the clock ran first)
        now.set(10_000_000L);                        // 10 ms later: the back-off is over in any case
        health[0].markSuspect(b);                    // re-arm: suspect until 11 ms
        now.set(50_000_000L);                        // the back-off is over, and the peer is marked healthy meanwhile
        assertFalse(health[0].isSuspect(b));
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
