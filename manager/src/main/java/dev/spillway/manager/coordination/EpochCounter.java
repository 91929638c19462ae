package dev.spillway.manager.coordination;

import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The leader's term number, a decimal counter in one znode that only grows: every manager that becomes leader bumps it
 * with a conditional write (compare-and-set on the znode's version), so two leaders, even overlapping ones, never
 * get the same epoch, and a later leader always gets a larger one.
 */
final class EpochCounter {
    private final CuratorFramework client;
    private final String path;

    EpochCounter(CuratorFramework client, String path) {
        this.client = client;
        this.path = path;
    }

    /** Bumps the counter and returns the new value (1 for the first leader ever). */
    long next() throws Exception {
        while (true) {
            Stat stat = new Stat();
            byte[] data;
            try {
                data = client.getData().storingStatIn(stat).forPath(path);
            } catch (KeeperException.NoNodeException e) {
                try {
                    client.create().creatingParentsIfNeeded().forPath(path, encode(1));
                    return 1;
                } catch (KeeperException.NodeExistsException raced) {
                    continue; // another manager created it first: read and bump theirs
                }
            }
            long n = decode(data) + 1;
            try {
                client.setData().withVersion(stat.getVersion()).forPath(path, encode(n));
                return n;
            } catch (KeeperException.BadVersionException raced) {
                // another manager bumped it between our read and write: read again
            }
        }
    }

    /** The current value, 0 if no leader was ever elected. */
    long current() throws Exception {
        try {
            return decode(client.getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return 0;
        }
    }

    private long decode(byte[] data) {
        String text = data == null ? "" : new String(data, StandardCharsets.US_ASCII).trim();
        try {
            long n = Long.parseLong(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        // Never restart from 0: that would let every former leader's directives through again.
        throw new IllegalStateException("znode " + path + " holds '" + text + "'; expected the epoch, a decimal"
                + " number >= 0 (written by Spillway managers only)");
    }

    private static byte[] encode(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}
