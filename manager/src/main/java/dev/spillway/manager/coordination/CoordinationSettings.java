package dev.spillway.manager.coordination;

import dev.spillway.agent.config.ConfigException;
import dev.spillway.agent.config.ConfigValues;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The leader-election settings, parsed and checked here (kept apart from {@code ManagerConfig}, which is the list of
 * everything else). Without {@code zookeeper.connect} the manager runs alone, as it always did.
 *
 * @param connect          ZooKeeper connect string, e.g. {@code zk1:2181,zk2:2181,zk3:2181}; empty = no election
 * @param cluster          names the group of managers that elect one leader: znodes under {@code /spillway/<cluster>}
 * @param sessionMillis    the ZooKeeper session timeout: how long after a leader dies (or is cut off) its lead ends
 * @param connectionMillis how long a connection attempt may take before Curator counts it lost
 */
public record CoordinationSettings(String connect, String cluster, long sessionMillis, long connectionMillis) {

    public static final Set<String> KEYS = Set.of("zookeeper.connect", "cluster.id", "zookeeper.session.timeout",
            "zookeeper.connection.timeout");

    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CONNECT = Pattern.compile("[A-Za-z0-9.:\\[\\]_-]+(,[A-Za-z0-9.:\\[\\]_-]+)*(/[A-Za-z0-9/._-]*)?");

    public static final CoordinationSettings NONE = new CoordinationSettings("", "default", 2000, 1000);

    public static CoordinationSettings from(ConfigValues c) {
        String connect = c.string("zookeeper.connect", "").trim();
        if (!connect.isEmpty() && !CONNECT.matcher(connect).matches()) {
            throw new ConfigException("zookeeper.connect", connect,
                    "host:port[,host:port...][/chroot], e.g. zk1:2181,zk2:2181,zk3:2181");
        }
        String cluster = c.string("cluster.id", "default");
        if (!CLUSTER_ID.matcher(cluster).matches() || cluster.equals(".") || cluster.equals("..")) {
            throw new ConfigException("cluster.id", cluster, "1-64 characters A-Z a-z 0-9 . _ - (not . or ..)");
        }
        long session = c.millis("zookeeper.session.timeout", 2000, 500, 600_000);
        long connection = c.millis("zookeeper.connection.timeout", Math.min(1000, session), 100, 600_000);
        if (connection > session) {
            throw new ConfigException("zookeeper.connection.timeout", connection + "ms",
                    "at most zookeeper.session.timeout (" + session + "ms)");
        }
        return new CoordinationSettings(connect, cluster, session, connection);
    }

    public boolean enabled() {
        return !connect.isEmpty();
    }

    /** The cluster's root znode. */
    public String root() {
        return "/spillway/" + cluster;
    }
}
