package dev.spillway.manager.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.manager.pool.Membership;
import dev.spillway.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * The pool membership in a real ZooKeeper server (in-process): what one leader stores another reads, a former
 * leader's late write is refused, and a znode that is not a membership is named when read.
 */
class SharedMembershipTest {
    private static final Membership ALLOCATED = new Membership(List.of("a", "b"), List.of("t"), List.of("s"));

    @Test
    void whatALeaderStoresTheNextReadsAndAnOlderEpochCannotOverwriteIt() throws Exception {
        try (TestingServer zk = InProcessZooKeeper.start();
             CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            c.start();
            SharedMembership first = new SharedMembership(c, "/spillway/t/pool/membership", 100, 5_000);
            SharedMembership second = new SharedMembership(c, "/spillway/t/pool/membership", 100, 5_000);
            try {
                assertNull(first.load(), "nothing stored yet");
                first.save(ALLOCATED, 2);
                assertEquals(ALLOCATED, second.load());
                Await.until("the background copy has it", () -> ALLOCATED.equals(second.latest()));

                Membership released = new Membership(List.of("a", "b"), List.of("s", "t"), List.of());
                IllegalStateException late = assertThrows(IllegalStateException.class,
                        () -> first.save(released, 1));
                assertTrue(late.getMessage().contains("epoch 2"), late.getMessage());
                assertEquals(ALLOCATED, second.load(), "the late write changed nothing");
                second.save(released, 3);
                assertEquals(released, first.load());

                c.setData().forPath("/spillway/t/pool/membership", "member a\nmembers b\n"
                        .getBytes(StandardCharsets.UTF_8));
                IllegalStateException bad = assertThrows(IllegalStateException.class, first::load);
                assertTrue(bad.getMessage().contains("/spillway/t/pool/membership line 2 'members b'"),
                        bad.getMessage());
            } finally {
                first.close();
                second.close();
            }
        }
    }
}
