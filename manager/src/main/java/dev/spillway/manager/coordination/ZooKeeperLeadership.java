package dev.spillway.manager.coordination;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * One of several managers of a cluster, electing a leader on ZooKeeper with a Curator {@link LeaderLatch} under
 * {@code /spillway/<cluster>/leader}. On winning, the manager takes a new epoch ({@link EpochCounter}) and sends
 * under it until it loses the lead. It stops sending the moment its connection is in doubt ({@code SUSPENDED} or
 * {@code LOST}), before ZooKeeper has even decided: what it sent before is bounded by the leases, and what a
 * paused former leader sends late is refused by agents and filters that heard the newer epoch.
 *
 * <p>Starting never waits for ZooKeeper: while it is unreachable the manager polls and serves read-only, and leads
 * once it is reachable and elected.
 */
public final class ZooKeeperLeadership implements Leadership {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.coordination");

    private final CoordinationSettings settings;
    private volatile String self = "";
    private final CuratorFramework client;
    private volatile LeaderLatch latch; // set once by join()
    private final EpochCounter epochs;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spillway-leader-watch");
        t.setDaemon(true);
        return t;
    });
    // Changed under this object's lock (latch and connection callbacks); read without it by the cycle.
    private volatile long epoch = NOT_LEADING;
    private volatile boolean connected;
    private volatile String leader = "";
    private volatile SharedDrains drains;
    private volatile SharedMembership membership;

    private ZooKeeperLeadership(CoordinationSettings settings) {
        this.settings = settings;
        this.client = CuratorFrameworkFactory.builder()
                .connectString(settings.connect())
                .sessionTimeoutMs((int) settings.sessionMillis())
                .connectionTimeoutMs((int) settings.connectionMillis())
                .retryPolicy(new ExponentialBackoffRetry(100, 29, (int) settings.sessionMillis()))
                .build();
        this.epochs = new EpochCounter(client, settings.root() + "/epoch");
    }

    /** A participant that has not joined yet: it does not lead (nothing touches the network until {@link #join}). */
    public static ZooKeeperLeadership create(CoordinationSettings settings) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("zookeeper.connect is not set; a manager without it runs alone");
        }
        return new ZooKeeperLeadership(settings);
    }

    /**
     * Connects (in the background; never waits for ZooKeeper) and joins the election.
     *
     * @param selfId this manager's participant id, shown to the others as the leader's name: its dashboard URL
     */
    public synchronized void join(String selfId) {
        if (latch != null) {
            throw new IllegalStateException("already joined as " + self);
        }
        self = selfId;
        client.getConnectionStateListenable().addListener((c, state) -> connectionChanged(state));
        latch = new LeaderLatch(client, settings.root() + "/leader", selfId, LeaderLatch.CloseMode.NOTIFY_LEADER);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                won();
            }

            @Override
            public void notLeader() {
                lost("another manager leads now");
            }
        });
        client.start();
        try {
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot join the election under " + settings.root() + ": " + e, e);
        }
        long refresh = Math.max(100, settings.sessionMillis() / 4);
        watcher.scheduleWithFixedDelay(this::refreshLeader, 0, refresh, TimeUnit.MILLISECONDS);
    }

    /**
     * Keeps {@code table}'s drained hosts in ZooKeeper from now on (see {@link SharedDrains}); call before
     * {@link #join}. Checked once per {@code periodMillis}.
     */
    public synchronized void shareDrains(DrainTable table, long periodMillis) {
        if (drains != null) {
            throw new IllegalStateException("drains are shared already");
        }
        drains = new SharedDrains(client, settings.root() + "/drained", table, periodMillis);
    }

    /**
     * Drains or enables a host for the whole cluster: written to ZooKeeper first, so the next leader keeps it.
     *
     * @return false if the host is not in the table
     * @throws IllegalStateException if this manager does not lead, or ZooKeeper cannot be written
     */
    public boolean setDrained(String id, boolean drained) {
        SharedDrains d = drains;
        if (d == null) {
            throw new IllegalStateException("drains are not shared; call shareDrains first");
        }
        if (epoch == NOT_LEADING) {
            throw new IllegalStateException("this manager does not lead cluster " + settings.cluster());
        }
        try {
            return d.set(id, drained);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot record the drain in ZooKeeper (" + e + "); nothing changed", e);
        }
    }

    /**
     * The spare pool's membership, kept in ZooKeeper from now on (see {@link SharedMembership}); followers copy it
     * once per {@code periodMillis}. Call before {@link #join}.
     */
    public synchronized dev.spillway.manager.pool.SharedMembershipStore shareMembership(long periodMillis) {
        if (membership != null) {
            throw new IllegalStateException("the membership is shared already");
        }
        membership = new SharedMembership(client, settings.root() + "/pool/membership", periodMillis,
                settings.sessionMillis());
        return membership;
    }

    /** The shared drains, null before {@link #shareDrains}. */
    SharedDrains drains() {
        return drains;
    }

    @Override
    public long sendingEpoch() {
        return epoch;
    }

    @Override
    public LeadershipStatus status() {
        long e = epoch;
        String mode = e != NOT_LEADING ? "leader" : connected && !leader.isEmpty() ? "follower" : "no-leader";
        return new LeadershipStatus(mode, settings.cluster(), self, e != NOT_LEADING ? self : leader,
                Math.max(0, e));
    }

    // On the latch's thread. The ZooKeeper write happens outside the lock; the lead is taken only if still held.
    private void won() {
        long next;
        try {
            next = epochs.next();
        } catch (Exception e) {
            // Holding the latch without leading would leave the cluster without a leader: try again while we hold it
            // (a lost connection also ends the latch, and the next win calls us anew).
            LOG.log(System.Logger.Level.WARNING, "elected, but the epoch could not be taken (" + e
                    + "); not sending, trying again in 1 s");
            LeaderLatch l = latch;
            if (l != null && l.hasLeadership() && !watcher.isShutdown()) {
                watcher.schedule(this::won, 1, TimeUnit.SECONDS);
            }
            return;
        }
        synchronized (this) {
            // the client's own view, not our listener's flag: the latch may call us before that listener ran
            if (client.getZookeeperClient().isConnected() && latch != null && latch.hasLeadership()) {
                connected = true;
                epoch = next;
                leader = self;
                LOG.log(System.Logger.Level.INFO, "leading cluster " + settings.cluster() + " in epoch " + next);
            }
        }
    }

    private synchronized void lost(String why) {
        if (epoch != NOT_LEADING) {
            LOG.log(System.Logger.Level.WARNING, "stopped leading (epoch " + epoch + "): " + why);
        }
        epoch = NOT_LEADING;
    }

    private void connectionChanged(ConnectionState state) {
        synchronized (this) {
            connected = state.isConnected();
            if (!connected) {
                lost("ZooKeeper connection " + state);
                leader = "";
            }
        }
        // After RECONNECTED the latch rejoins by itself and calls isLeader() again if it wins: a new epoch.
    }

    private void refreshLeader() {
        LeaderLatch l = latch;
        if (l == null || !connected || epoch != NOT_LEADING) {
            return;
        }
        try {
            String id = l.getLeader().getId();
            leader = id == null ? "" : id;
        } catch (Exception e) {
            leader = "";
        }
    }

    @Override
    public void close() {
        lost("shutting down");
        watcher.shutdownNow();
        SharedDrains d = drains;
        if (d != null) {
            d.close();
        }
        SharedMembership sm = membership;
        if (sm != null) {
            sm.close();
        }
        LeaderLatch l = latch;
        if (l == null) {
            return; // never joined: the client was never started
        }
        try {
            l.close(); // deletes our node now: a follower takes over without waiting for the session to end
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the leader latch: " + e);
        }
        client.close();
    }
}
