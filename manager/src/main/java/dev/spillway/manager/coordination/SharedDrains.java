package dev.spillway.manager.coordination;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Drained hosts kept in ZooKeeper ({@code /spillway/<cluster>/drained/<host id>}, one znode each), so a drain
 * outlives the leader that took it: every manager of the cluster copies the set into its own table once per
 * period, the leader acts on it, and whichever leads next has it already. A host that registers later is drained
 * as soon as it is in the table. While ZooKeeper is unreachable the tables keep what they last read.
 */
final class SharedDrains implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.coordination");

    private final CuratorFramework client;
    private final String path;
    private final DrainTable table;
    private final ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spillway-drain-sync");
        t.setDaemon(true);
        return t;
    });
    private volatile Set<String> known = Set.of();

    SharedDrains(CuratorFramework client, String path, DrainTable table, long periodMillis) {
        this.client = client;
        this.path = path;
        this.table = table;
        sync.scheduleWithFixedDelay(this::copyIntoTable, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Records the drain (or its end) in ZooKeeper, then in the table; throws if ZooKeeper cannot be written. */
    boolean set(String id, boolean drained) throws Exception {
        if (!table.ids().contains(id)) {
            return false;
        }
        String node = path + "/" + id;
        if (drained) {
            try {
                client.create().creatingParentsIfNeeded().forPath(node);
            } catch (KeeperException.NodeExistsException already) {
                // drained already
            }
        } else {
            try {
                client.delete().forPath(node);
            } catch (KeeperException.NoNodeException already) {
                // not drained
            }
        }
        return table.setDrained(id, drained);
    }

    private void copyIntoTable() {
        Set<String> drained;
        try {
            if (!client.getZookeeperClient().isConnected()) {
                return;
            }
            drained = client.checkExists().forPath(path) == null ? Set.of()
                    : new TreeSet<>(client.getChildren().forPath(path));
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "reading the drained hosts: " + e);
            return;
        }
        known = Set.copyOf(drained);
        for (String id : table.ids()) {
            boolean wanted = drained.contains(id);
            if (table.isDrained(id) != wanted) {
                table.setDrained(id, wanted);
            }
        }
    }

    /** The drained hosts as last read from ZooKeeper. */
    Set<String> known() {
        return known;
    }

    @Override
    public void close() {
        sync.shutdownNow();
    }
}
