package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.filter.peers.Peer;
import dev.spillway.settings.ConfigValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code proxyMaxRelays}: its default, a bad value refused by name, and the bound held under concurrent takers. */
class RelayLimitSettingTest {
    @Test
    void defaultIs128PerPeer() {
        assertEquals(128, ForwardSettings.defaults().proxyMaxRelays());
    }

    @Test
    void aBadValueIsRefusedNamingTheKey() {
        for (String bad : List.of("0", "-1", "lots", "10001")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ForwardSettings.from(
                    ConfigValues.of(Map.of(ForwardSettings.PROXY_MAX_RELAYS, bad))));
            assertTrue(e.getMessage().contains("proxyMaxRelays") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void concurrentTakersNeverExceedTheBoundPerPeer() throws Exception {
        RelayLimit limit = new RelayLimit(5);
        Peer b = Peer.parse("b=http://127.0.0.1:1");
        Peer c = Peer.parse("c=http://127.0.0.1:2");
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < 1000; k++) {
                    if (limit.tryAcquire(b)) {
                        taken.incrementAndGet();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(5, taken.get());
        assertEquals(5, limit.inFlight(b));
        assertTrue(limit.tryAcquire(c), "each peer has its own slots");
        assertFalse(limit.tryAcquire(b));
        limit.release(b);
        assertTrue(limit.tryAcquire(b), "a slot given back can be taken again");
    }
}
