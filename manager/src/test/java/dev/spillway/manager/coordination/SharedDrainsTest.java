package dev.spillway.manager.coordination;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.testkit.Await;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** A drain taken by one leader is kept by the next, through a real ZooKeeper server (in-process). */
class SharedDrainsTest {

    /** A host table of fixed ids plus whatever a test adds. */
    private static final class Table implements DrainTable {
        final Map<String, Boolean> drained = new ConcurrentHashMap<>();

        Table(String... ids) {
            for (String id : ids) {
                drained.put(id, false);
            }
        }

        @Override public List<String> ids() { return List.copyOf(drained.keySet()); }
        @Override public boolean isDrained(String id) { return drained.getOrDefault(id, false); }

        @Override
        public boolean setDrained(String id, boolean d) {
            return drained.replace(id, d) != null;
        }
    }

    private static boolean leads(Leadership l) {
        return l.sendingEpoch() != Leadership.NOT_LEADING;
    }

    @Test
    void aDrainOutlivesTheLeaderThatTookIt() throws Exception {
        try (TestingServer zk = InProcessZooKeeper.start()) {
            CoordinationSettings s = InProcessZooKeeper.settings(zk, "drains");
            ZooKeeperLeadership a = ZooKeeperLeadership.create(s);
            ZooKeeperLeadership b = ZooKeeperLeadership.create(s);
            Table ta = new Table("web-1", "web-2");
            Table tb = new Table("web-1");   // web-2 has not registered with b yet
            try {
                a.shareDrains(ta, 100);
                b.shareDrains(tb, 100);
                a.join("http://a");
                Await.until("a leads", () -> leads(a));
                b.join("http://b");

                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> b.setDrained("web-1", true));
                assertTrue(refused.getMessage().contains("does not lead"), refused.getMessage());
                assertFalse(a.setDrained("web-9", true), "an unknown host");
                assertTrue(a.setDrained("web-2", true));
                assertTrue(ta.isDrained("web-2"));

                tb.drained.put("web-2", false); // web-2 registers with b later: b drains it by itself
                Await.until("b copies the drain", () -> tb.isDrained("web-2"));

                a.close();
                Await.until("b leads", () -> leads(b));
                assertTrue(tb.isDrained("web-2"), "the new leader keeps the drain");
                assertTrue(b.setDrained("web-2", false));
                Await.until("the end of the drain is kept too", () -> !b.drains().known().contains("web-2"));
                assertFalse(tb.isDrained("web-2"));
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
