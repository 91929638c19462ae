package dev.spillway.agent.core;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.sampling.ClientRttSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The agent's configuration (keys as in {@code conf/agent.properties}), validated when read: every bad value fails
 * with the key, the value and the expected form, and an unknown key is an error (a typo must not go unnoticed).
 */
public record AgentSettings(
        String hostId,
        String zone,
        String webBaseUrl,
        Duration sampleInterval,
        Duration surgeCheckInterval,
        JmxServerSettings jmx,
        List<String> watch,
        String watchUser,
        String watchPassword,
        boolean watchTls,
        Duration connectTimeout,
        String managerUrl,
        String managerUser,
        String managerPassword,
        boolean managerTls,
        Duration registerInterval,
        URI healthUrl,
        Duration healthTimeout,
        int baselineWindow,
        URI appHealthUrl,
        Duration appHealthTimeout,
        ClientRttSettings clientRtt,
        long sessionCapacity,
        boolean spare) {

    public static final int DEFAULT_JMX_PORT = 9010;

    static final Setting<String> HOST_ID = Setting.of("host.id", "", "this host's id; must be the id the other"
            + " hosts' filters use in `peers`; several container JVMs on one host need distinct ids",
            (c, k) -> hostId(c.string(k, defaultHostId()), k)).defaultNote("the machine's host name");
    static final Setting<String> HOST_ZONE = Setting.string("host.zone", "", "zone (rack, data centre): the manager"
            + " prefers targets in the same zone");
    static final Setting<String> WEB_BASE_URL = Setting.of("host.web-base-url", "", "where peers and clients reach"
            + " this host's webapp, e.g. `http://10.0.0.2:8080`", AgentSettings::webBaseUrl);
    static final Setting<Boolean> SPARE = Setting.bool("host.spare", false, "true: this host registers as a"
            + " spare, kept in the manager's spare pool (never a target) until the manager allocates it; the same as"
            + " listing it in the manager's `pool.spares` (the manager needs `pool.file`)");
    static final Setting<Long> SAMPLE_INTERVAL = Setting.duration("sample.interval", 1_000, 100, 3_600_000,
            "how often a snapshot is taken (100ms..1h)");
    static final Setting<Long> SURGE_CHECK_INTERVAL = Setting.of("surge.check-interval", "250ms", "between"
            + " snapshots, how often the filters' queue length and delay alone are read while one is at a quarter"
            + " of the manager's surge mark or more, or while requests wait for a worker; one reaching the mark, or"
            + " spills over budget starting, triggers a snapshot and an alert to the manager (`0ms` = off, else"
            + " 50ms..60s)", AgentSettings::surgeCheckMillis);
    static final Setting<List<String>> WATCH = Setting.of("watch", "", "standalone: JMX URLs of the container JVMs"
            + " on this host to watch, separated by commas (without it the agent watches its own JVM)",
            AgentSettings::watch);
    static final Setting<String> WATCH_USER = Setting.string("watch.user", "", "user for the watched JVMs' connectors");
    static final Setting<String> WATCH_PASSWORD = Setting.secret("watch.password", "its password (may be"
            + " `env:NAME` or `file:PATH`)");
    static final Setting<Boolean> WATCH_TLS = Setting.bool("watch.tls", false, "TLS to the watched JVMs' connectors");
    static final Setting<Long> CONNECT_TIMEOUT = Setting.duration("jmx.connect-timeout", 5_000, 100, 600_000,
            "how long to wait for a JMX connection (to the manager, to a watched JVM)");
    static final Setting<String> MANAGER_URL = Setting.of("manager.url", "", "the manager's JMX URL, where to"
            + " register, or one per manager separated by commas (several managers on ZooKeeper: it registers with"
            + " each); retried with back-off while a manager is down", AgentSettings::managerUrl);
    static final Setting<String> MANAGER_USER = Setting.string("manager.user", "", "user at the manager's connector");
    static final Setting<String> MANAGER_PASSWORD = Setting.secret("manager.password", "its password (may be"
            + " `env:NAME` or `file:PATH`)");
    static final Setting<Boolean> MANAGER_TLS = Setting.bool("manager.tls", false, "TLS to the manager's connector");
    static final Setting<Long> REGISTER_INTERVAL = Setting.duration("manager.register-interval", 30_000, 1_000,
            3_600_000, "re-announce interval when the manager asks for none, and longest retry back-off");
    static final Setting<URI> HEALTH_URL = Setting.of("health.url", "", "health page, probed once per sample"
            + " (GET; up = 200..399 within the timeout); its fastest recent answers are the unloaded baseline",
            (c, k) -> c.has(k) ? httpUrl(c, k) : null);
    static final Setting<Long> HEALTH_TIMEOUT = Setting.duration("health.timeout", 2_000, 10, 600_000,
            "timeout of a health probe");
    static final Setting<Integer> BASELINE_WINDOW = Setting.integer("health.baseline-window", 60, 1, 100_000,
            "successful health probes whose lowest response time is the unloaded baseline");
    static final Setting<URI> APP_HEALTH_URL = Setting.of("app-health.url", "", "application health page, e.g."
            + " one that runs a database query", (c, k) -> c.has(k) ? httpUrl(c, k) : null);
    static final Setting<Long> APP_HEALTH_TIMEOUT = Setting.duration("app-health.timeout", 5_000, 10, 600_000,
            "timeout of an application health probe");
    static final Setting<Long> SESSION_CAPACITY = Setting.of("sessions.capacity", "", "how many sessions this"
            + " host's webapps can hold, for containers that report no limit of their own (Jetty, Tomcat without"
            + " `maxActiveSessions`); the manager's `sessions.threshold` and session ranking use it; a limit the"
            + " container reports wins (unset = unknown)",
            (c, k) -> c.has(k) ? c.integer(k, -1, 1, 1_000_000_000) : -1L);

    /** Every agent setting, in the order of its README table and {@code --help}. */
    public static final SettingList SETTINGS = SettingList.of(HOST_ID, HOST_ZONE, WEB_BASE_URL, SPARE, SAMPLE_INTERVAL,
            SURGE_CHECK_INTERVAL).plus(JmxServerSettings.settings("jmx.", DEFAULT_JMX_PORT)).plus(CONNECT_TIMEOUT,
            MANAGER_URL, MANAGER_USER, MANAGER_PASSWORD, MANAGER_TLS, REGISTER_INTERVAL, HEALTH_URL, HEALTH_TIMEOUT,
            BASELINE_WINDOW, APP_HEALTH_URL, APP_HEALTH_TIMEOUT, WATCH, WATCH_USER, WATCH_PASSWORD, WATCH_TLS)
            .plus(ClientRttSettings.SETTINGS).plus(SESSION_CAPACITY);

    /** Every key the agent understands. */
    public static Set<String> keys() {
        return SETTINGS.keys();
    }

    public static AgentSettings from(ConfigValues c) {
        SETTINGS.requireOnlyKnown(c);
        String webBaseUrl = WEB_BASE_URL.read(c);
        return new AgentSettings(HOST_ID.read(c), HOST_ZONE.read(c), webBaseUrl,
                Duration.ofMillis(SAMPLE_INTERVAL.read(c)), Duration.ofMillis(SURGE_CHECK_INTERVAL.read(c)),
                JmxServerSettings.from(c, "jmx.", DEFAULT_JMX_PORT),
                WATCH.read(c), WATCH_USER.read(c), WATCH_PASSWORD.read(c), WATCH_TLS.read(c),
                Duration.ofMillis(CONNECT_TIMEOUT.read(c)),
                MANAGER_URL.read(c), MANAGER_USER.read(c), MANAGER_PASSWORD.read(c), MANAGER_TLS.read(c),
                Duration.ofMillis(REGISTER_INTERVAL.read(c)),
                HEALTH_URL.read(c), Duration.ofMillis(HEALTH_TIMEOUT.read(c)), BASELINE_WINDOW.read(c),
                APP_HEALTH_URL.read(c), Duration.ofMillis(APP_HEALTH_TIMEOUT.read(c)),
                ClientRttSettings.from(c, webBaseUrl), SESSION_CAPACITY.read(c), SPARE.read(c));
    }

    private static String hostId(String id, String key) {
        if (!id.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new ConfigException(key, id, "1 to 100 letters, digits or . _ : -");
        }
        return id;
    }

    private static List<String> watch(ConfigValues c, String key) {
        List<String> watch = c.list(key);
        for (String w : watch) {
            if (!w.startsWith("service:jmx:")) {
                throw new ConfigException(key, w, "JMX service URLs such as "
                        + "service:jmx:rmi:///jndi/rmi://127.0.0.1:9011/jmxrmi, separated by commas");
            }
        }
        return watch;
    }

    private static String webBaseUrl(ConfigValues c, String key) {
        if (c.has(key)) {
            httpUrl(c, key);
        }
        return c.string(key, "");
    }

    private static String managerUrl(ConfigValues c, String key) {
        String manager = c.string(key, "");
        ManagerUrls.parse(manager); // one URL, or one per manager separated by commas
        return manager;
    }

    /** 0 turns the quick check off; below 50 ms it would cost more than it saves. */
    private static long surgeCheckMillis(ConfigValues c, String key) {
        long ms = c.millis(key, 250, 0, 60_000);
        if (ms != 0 && ms < 50) {
            throw new ConfigException(key, c.string(key, ""),
                    "0ms (off) or a duration from 50ms to 60s, e.g. 250ms");
        }
        return ms;
    }

    private static URI httpUrl(ConfigValues c, String key) {
        String v = c.string(key, "");
        try {
            URI u = new URI(v);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return u;
            }
        } catch (java.net.URISyntaxException e) {
            // falls through
        }
        throw new ConfigException(key, v, "an http:// or https:// URL with a host");
    }

    private static String defaultHostId() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.matches("[A-Za-z0-9._:-]{1,100}") ? name : "localhost";
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Passwords stay out of logs: shown as set or not, never their value. */
    @Override
    public String toString() {
        return "AgentSettings[hostId=" + hostId + ", zone=" + zone + ", web=" + webBaseUrl + ", jmx="
                + jmx.bindAddress().getHostAddress() + ":" + jmx.port() + ", watch=" + watch + ", manager=" + managerUrl
                + ", managerUser=" + managerUser + ", managerPassword=" + (managerPassword.isEmpty() ? "(none)" : "(set)")
                + ", watchPassword=" + (watchPassword.isEmpty() ? "(none)" : "(set)") + "]";
    }
}
