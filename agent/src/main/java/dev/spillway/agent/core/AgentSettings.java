package dev.spillway.agent.core;

import dev.spillway.agent.config.ConfigException;
import dev.spillway.agent.config.ConfigValues;
import dev.spillway.agent.jmx.JmxServerSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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
        Path scriptFile) {

    public static final int DEFAULT_JMX_PORT = 9010;

    private static final Set<String> OWN_KEYS = Set.of("host.id", "host.zone", "host.web-base-url",
            "sample.interval", "surge.check-interval", "watch", "watch.user", "watch.password", "watch.tls", "jmx.connect-timeout",
            "manager.url", "manager.user", "manager.password", "manager.tls", "manager.register-interval",
            "health.url", "health.timeout", "health.baseline-window", "app-health.url", "app-health.timeout",
            "script.file");

    /** Every key the agent understands. */
    public static Set<String> keys() {
        Set<String> all = new TreeSet<>(OWN_KEYS);
        all.addAll(JmxServerSettings.keys("jmx."));
        return all;
    }

    public static AgentSettings from(ConfigValues c) {
        c.requireOnlyKnown(keys());
        String hostId = c.string("host.id", defaultHostId());
        if (!hostId.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new ConfigException("host.id", hostId, "1 to 100 letters, digits or . _ : -");
        }
        String web = c.string("host.web-base-url", "");
        if (!web.isEmpty()) {
            httpUrl(c, "host.web-base-url");
        }
        List<String> watch = c.list("watch");
        for (String w : watch) {
            if (!w.startsWith("service:jmx:")) {
                throw new ConfigException("watch", w, "JMX service URLs such as "
                        + "service:jmx:rmi:///jndi/rmi://127.0.0.1:9011/jmxrmi, separated by commas");
            }
        }
        String manager = c.string("manager.url", "");
        ManagerUrls.parse(manager); // one URL, or one per manager separated by commas
        return new AgentSettings(hostId, c.string("host.zone", ""), web,
                Duration.ofMillis(c.millis("sample.interval", 1_000, 100, 3_600_000)),
                Duration.ofMillis(surgeCheckMillis(c)),
                JmxServerSettings.from(c, "jmx.", DEFAULT_JMX_PORT),
                watch, c.string("watch.user", ""), dev.spillway.agent.jmx.Secrets.read(c, "watch.password", ""), c.bool("watch.tls", false),
                Duration.ofMillis(c.millis("jmx.connect-timeout", 5_000, 100, 600_000)),
                manager, c.string("manager.user", ""), dev.spillway.agent.jmx.Secrets.read(c, "manager.password", ""),
                c.bool("manager.tls", false),
                Duration.ofMillis(c.millis("manager.register-interval", 30_000, 1_000, 3_600_000)),
                c.has("health.url") ? httpUrl(c, "health.url") : null,
                Duration.ofMillis(c.millis("health.timeout", 2_000, 10, 600_000)),
                (int) c.integer("health.baseline-window", 60, 1, 100_000),
                c.has("app-health.url") ? httpUrl(c, "app-health.url") : null,
                Duration.ofMillis(c.millis("app-health.timeout", 5_000, 10, 600_000)),
                c.has("script.file") ? Path.of(c.string("script.file", "")) : null);
    }

    /** 0 turns the quick check off; below 50 ms it would cost more than it saves. */
    private static long surgeCheckMillis(ConfigValues c) {
        long ms = c.millis("surge.check-interval", 250, 0, 60_000);
        if (ms != 0 && ms < 50) {
            throw new ConfigException("surge.check-interval", c.string("surge.check-interval", ""),
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
