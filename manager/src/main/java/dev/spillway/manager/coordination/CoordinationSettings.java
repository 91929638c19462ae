package dev.spillway.manager.coordination;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The leader-election settings, described once here (and listed in {@code ManagerConfig.SETTINGS}). Without {@code zookeeper.connect} the manager runs alone, as it always did.
 *
 * @param connect          ZooKeeper connect string, e.g. {@code zk1:2181,zk2:2181,zk3:2181}; empty = no election
 * @param cluster          names the group of managers that elect one leader: znodes under {@code /spillway/<cluster>}
 * @param sessionMillis    the ZooKeeper session timeout: how long after a leader dies (or is cut off) its lead ends
 * @param connectionMillis how long a connection attempt may take before Curator counts it lost
 */
public record CoordinationSettings(String connect, String cluster, long sessionMillis, long connectionMillis) {

    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CONNECT = Pattern.compile("[A-Za-z0-9.:\\[\\]_-]+(,[A-Za-z0-9.:\\[\\]_-]+)*(/[A-Za-z0-9/._-]*)?");

    static final Setting<String> CONNECT_STRING = Setting.of("zookeeper.connect", "", "ZooKeeper connect string"
            + " `host:port[,host:port...][/chroot]`; set: managers of one `cluster.id` elect one leader (README \"More"
            + " than one manager\"); unset: this manager runs alone", CoordinationSettings::connect)
            .defaultNote("none (run alone)");
    static final Setting<String> CLUSTER = Setting.of("cluster.id", "default", "managers with the same id elect one"
            + " leader; their znodes are under `/spillway/<cluster.id>`", CoordinationSettings::cluster);
    static final Setting<Long> SESSION = Setting.duration("zookeeper.session.timeout", 2_000, 500, 600_000, "how"
            + " long after a leader dies or is cut off its lead ends; keep it below the lease (`poll.interval` ×"
            + " `lease.intervals`); the ZooKeeper servers must grant it (`minSessionTimeout`)");
    static final Setting<Long> CONNECTION = Setting.of("zookeeper.connection.timeout", "1s", "how long one connection"
            + " attempt to ZooKeeper may take; at most the session timeout", CoordinationSettings::connection)
            .defaultNote("`1s` (or the session timeout, if shorter)");

    /** Every leader-election setting, in the order of the README table. */
    public static final SettingList SETTINGS = SettingList.of(CONNECT_STRING, CLUSTER, SESSION, CONNECTION);

    public static final Set<String> KEYS = SETTINGS.keys();

    public static final CoordinationSettings NONE = new CoordinationSettings("", "default", 2000, 1000);

    public static CoordinationSettings from(ConfigValues c) {
        return new CoordinationSettings(CONNECT_STRING.read(c), CLUSTER.read(c), SESSION.read(c), CONNECTION.read(c));
    }

    private static String connect(ConfigValues c, String key) {
        String connect = c.string(key, "").trim();
        if (!connect.isEmpty() && !CONNECT.matcher(connect).matches()) {
            throw new ConfigException(key, connect, "host:port[,host:port...][/chroot], e.g. zk1:2181,zk2:2181,zk3:2181");
        }
        return connect;
    }

    private static String cluster(ConfigValues c, String key) {
        String cluster = c.string(key, "default");
        if (!CLUSTER_ID.matcher(cluster).matches() || cluster.equals(".") || cluster.equals("..")) {
            throw new ConfigException(key, cluster, "1-64 characters A-Z a-z 0-9 . _ - (not . or ..)");
        }
        return cluster;
    }

    private static long connection(ConfigValues c, String key) {
        long session = SESSION.read(c);
        long connection = c.millis(key, Math.min(1000, session), 100, 600_000);
        if (connection > session) {
            throw new ConfigException(key, connection + "ms", "at most zookeeper.session.timeout (" + session + "ms)");
        }
        return connection;
    }

    public boolean enabled() {
        return !connect.isEmpty();
    }

    /** The cluster's root znode. */
    public String root() {
        return "/spillway/" + cluster;
    }
}
