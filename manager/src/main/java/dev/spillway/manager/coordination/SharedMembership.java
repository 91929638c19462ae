package dev.spillway.manager.coordination;

import dev.spillway.manager.pool.Membership;
import dev.spillway.manager.pool.MembershipText;
import dev.spillway.manager.pool.SharedMembershipStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The spare pool's membership kept in ZooKeeper ({@code /spillway/<cluster>/pool/membership}, one znode holding the
 * membership file's text), so it outlives the leader that wrote it: a new leader reads it before it changes the
 * pool, followers copy it once per period. Each write names the writer's epoch and is conditional on the version
 * read just before, so a former leader that wakes up late can neither overwrite a newer leader's membership nor race
 * it. Every ZooKeeper call runs on this store's own thread and is waited for at most a bounded time, so a lost
 * ZooKeeper never holds the control loop longer than that.
 */
final class SharedMembership implements SharedMembershipStore, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.coordination");
    private static final Pattern EPOCH = Pattern.compile("\\A# epoch (\\d+)\\n");

    private final CuratorFramework client;
    private final String path;
    private final long waitMillis;
    private final ScheduledExecutorService io = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spillway-pool-membership");
        t.setDaemon(true);
        return t;
    });
    private volatile Membership latest;

    SharedMembership(CuratorFramework client, String path, long periodMillis, long waitMillis) {
        this.client = client;
        this.path = path;
        this.waitMillis = waitMillis;
        io.scheduleWithFixedDelay(this::refresh, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public Membership latest() {
        return latest;
    }

    @Override
    public Membership load() {
        return call("read", () -> {
            Membership m = read(new Stat());
            if (m != null) {
                latest = m;
            }
            return m;
        });
    }

    @Override
    public void save(Membership m, long epoch) {
        byte[] text = ("# epoch " + epoch + "\n" + MembershipText.write(m)).getBytes(StandardCharsets.UTF_8);
        call("write", () -> {
            Stat stat = new Stat();
            byte[] old = data(stat);
            if (old == null) {
                client.create().creatingParentsIfNeeded().forPath(path, text);
            } else {
                long written = epochOf(old);
                if (written > epoch) {
                    throw new IllegalStateException("the leader of epoch " + written + " has written it since;"
                            + " this manager (epoch " + epoch + ") no longer leads");
                }
                client.setData().withVersion(stat.getVersion()).forPath(path, text);
            }
            latest = m;
            return null;
        });
    }

    @Override
    public String describe() {
        return "ZooKeeper " + path;
    }

    private void refresh() {
        try {
            if (client.getZookeeperClient().isConnected()) {
                Membership m = read(new Stat());
                if (m != null) {
                    latest = m;
                }
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "reading the pool membership: " + e);
        }
    }

    private Membership read(Stat stat) throws Exception {
        byte[] data = data(stat);
        if (data == null) {
            return null;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        return MembershipText.parse(List.of(text.split("\n", -1)), describe(), "zookeeper.connect");
    }

    /** The znode's bytes (and its version in {@code stat}), or null when there is none. */
    private byte[] data(Stat stat) throws Exception {
        try {
            return client.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException none) {
            return null;
        }
    }

    static long epochOf(byte[] data) {
        Matcher m = EPOCH.matcher(new String(data, StandardCharsets.UTF_8));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Runs {@code op} on the store's thread, waiting at most {@code waitMillis}; failures as IllegalStateException. */
    private <T> T call(String what, Callable<T> op) {
        try {
            return io.submit(op).get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no " + what + " of " + describe() + " within " + waitMillis + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IllegalStateException ise ? ise
                    : new IllegalStateException("cannot " + what + " " + describe() + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + describe());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("the manager is stopping");
        }
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
