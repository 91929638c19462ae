package dev.spillway.manager.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** The epoch znode under contention from several managers at once, on a real ZooKeeper server. */
class EpochCounterTest {

    @Test
    void concurrentBumpsNeverHandOutTheSameEpochTwice() throws Exception {
        try (TestingServer zk = InProcessZooKeeper.start()) {
            List<CuratorFramework> clients = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<List<Long>>> runs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
                    c.start();
                    clients.add(c);
                    EpochCounter counter = new EpochCounter(c, "/spillway/race/epoch");
                    runs.add(pool.submit(() -> {
                        List<Long> got = new ArrayList<>();
                        for (int n = 0; n < 20; n++) {
                            got.add(counter.next());
                        }
                        return got;
                    }));
                }
                Set<Long> all = new TreeSet<>();
                for (Future<List<Long>> r : runs) {
                    List<Long> got = r.get();
                    for (int i = 1; i < got.size(); i++) {
                        assertTrue(got.get(i) > got.get(i - 1), "each manager's epochs only grow: " + got);
                    }
                    all.addAll(got);
                }
                assertEquals(60, all.size(), "60 bumps, 60 different epochs");
                assertEquals(1L, all.iterator().next());
                assertEquals(60L, ((TreeSet<Long>) all).last());
            } finally {
                pool.shutdownNow();
                clients.forEach(CuratorFramework::close);
            }
        }
    }

    @Test
    void aDamagedCounterStopsTheElectionInsteadOfStartingOver() throws Exception {
        try (TestingServer zk = InProcessZooKeeper.start();
             CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            c.start();
            c.create().creatingParentsIfNeeded().forPath("/spillway/bad/epoch", "x1".getBytes(StandardCharsets.US_ASCII));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new EpochCounter(c, "/spillway/bad/epoch").next());
            assertTrue(e.getMessage().contains("/spillway/bad/epoch") && e.getMessage().contains("'x1'"),
                    e.getMessage());
        }
    }
}
