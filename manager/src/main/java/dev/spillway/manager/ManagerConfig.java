package dev.spillway.manager;

import dev.spillway.agent.config.ConfigException;
import dev.spillway.agent.config.ConfigValues;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.Secrets;
import dev.spillway.manager.coordination.CoordinationSettings;
import dev.spillway.manager.poll.AgentEndpoint;
import dev.spillway.manager.poll.HostEntry;
import dev.spillway.manager.poll.HostTable;
import dev.spillway.manager.poll.RegistrationAllowList;
import dev.spillway.manager.poll.RegistrationRules;
import dev.spillway.manager.policy.PolicyConfig;
import dev.spillway.manager.policy.Thresholds;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The manager's settings, read once from {@link ConfigValues} (file, then command-line flags). Every key and its
 * default is listed in {@code conf/manager.properties}; a bad value fails start with a {@link ConfigException}
 * naming the key, the value and the expected form, and an unknown key is refused as a likely typo.
 */
public record ManagerConfig(String httpHost, int httpPort, JmxServerSettings jmx, String token,
                            long pollTimeoutMillis, int pollThreads, long announceMillis, long expiryMillis,
                            String agentUser, String agentPassword, boolean agentSsl, int historySamples,
                            int decisionsKept, PolicyConfig policy, List<HostEntry> hosts,
                            RegistrationRules registration) {

    static final Set<String> KEYS = Set.of("http.host", "http.port", "token",
            "poll.interval", "poll.timeout", "poll.threads", "lease.intervals",
            "registration.announce", "registration.expiry",
            "registration.allow", "registration.maxHosts", "registration.operators",
            "agent.jmx.user", "agent.jmx.password", "agent.jmx.ssl", "history.samples", "decisions.keep",
            "threshold.queueLength.high", "threshold.queueLength.low",
            "threshold.queueDelay.high", "threshold.queueDelay.low",
            "threshold.cpu.high", "threshold.cpu.low", "threshold.memory.high", "threshold.memory.low",
            "threshold.responseRatio.high", "threshold.responseRatio.low",
            "hysteresis.enter", "hysteresis.leave", "hysteresis.surge", "failure.misses",
            "offload.enabled", "offload.mode", "offload.share", "offload.maxTargets", "selection.spread", "selection.pickDecay", "hosts");

    /** Settings of the fraction ramp that permits replaced: named in the error, so an old file is easy to fix. */
    static final Set<String> REMOVED = Set.of("offload.initial", "offload.stepUp", "offload.stepDown",
            "offload.ceiling");

    public static ManagerConfig from(ConfigValues c) {
        for (String key : REMOVED) {
            if (c.has(key)) {
                throw new ConfigException(key, "is no longer a setting: the fraction ramp it tuned is gone (filters"
                        + " spill within budgets the manager sizes from each host's capacity; see offload.share);"
                        + " remove it");
            }
        }
        List<String> ids = c.list("hosts");
        Set<String> known = new LinkedHashSet<>(KEYS);
        known.addAll(JmxServerSettings.keys("jmx.")); // the registration connector: the agent's keys and rules
        for (String id : ids) {
            try {
                HostTable.checkId(id);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("hosts", id, "host ids of 1-64 characters A-Z a-z 0-9 . _ -");
            }
            known.add("host." + id + ".jmx");
            known.add("host." + id + ".zone");
            known.add("host." + id + ".web");
        }
        known.addAll(CoordinationSettings.KEYS); // parsed apart, in coordination/CoordinationSettings
        c.requireOnlyKnown(known);

        long interval = c.millis("poll.interval", 1000, 50, 600_000);
        long timeout = c.millis("poll.timeout", Math.max(1, interval * 8 / 10), 1, 600_000);
        if (timeout >= interval) {
            throw new ConfigException("poll.timeout", c.string("poll.timeout", timeout + "ms"),
                    "less than poll.interval (" + interval + "ms), so a cycle ends before the next one starts");
        }
        Thresholds t = thresholds(c);
        String mode = c.choice("offload.mode", "REDIRECT", List.of("REDIRECT", "PROXY"));
        PolicyConfig policy = new PolicyConfig(t, interval, (int) c.integer("failure.misses", 3, 1, 1000),
                OffloadMode.valueOf(mode), c.decimal("offload.share", 0.8, 0.05, 1),
                c.decimal("selection.spread", 0.1, 0, 10), (int) c.integer("offload.maxTargets", 3, 1, 100),
                (int) c.integer("lease.intervals", 4, 2, 100), c.decimal("selection.pickDecay", 0.8, 0, 0.99),
                c.bool("offload.enabled", true));

        List<HostEntry> hosts = new ArrayList<>();
        for (String id : ids) {
            String url = c.requiredString("host." + id + ".jmx",
                    "the agent's JMX service URL, e.g. service:jmx:rmi:///jndi/rmi://10.0.0.2:9010/jmxrmi");
            if (!url.startsWith("service:jmx:")) {
                throw new ConfigException("host." + id + ".jmx", url, "a JMX service URL starting with service:jmx:");
            }
            hosts.add(new HostEntry(id, url, c.string("host." + id + ".zone", ""),
                    c.string("host." + id + ".web", ""), true, 0));
        }
        long announce = c.millis("registration.announce", 5000, 100, 3_600_000);
        return new ManagerConfig(c.string("http.host", "127.0.0.1"), (int) c.integer("http.port", 9090, 0, 65535),
                JmxServerSettings.from(c, "jmx.", 9091),
                token(c), timeout, (int) c.integer("poll.threads", 16, 1, 1024), announce,
                c.millis("registration.expiry", announce * 12, announce, 86_400_000),
                c.string("agent.jmx.user", ""), Secrets.read(c, "agent.jmx.password", ""), c.bool("agent.jmx.ssl", false),
                (int) c.integer("history.samples", 300, 10, 100_000), (int) c.integer("decisions.keep", 200, 1, 100_000),
                policy, List.copyOf(hosts), registration(c, hosts));
    }

    /** Drain and enable are guarded by the token alone: a short one can be guessed over HTTP. */
    static final int MIN_TOKEN_LENGTH = 16;

    private static String token(ConfigValues c) {
        String token = Secrets.read(c, "token", "");
        if (!token.isEmpty() && token.length() < MIN_TOKEN_LENGTH) {
            // the value is a secret: say how long it is, never what it is
            throw new ConfigException("token", "is " + token.length() + " characters long; expected at least "
                    + MIN_TOKEN_LENGTH + " (or none, which refuses drain and enable over HTTP)");
        }
        return token;
    }

    /** Default allow list: loopback and the hosts of the configured agents' URLs. */
    private static RegistrationRules registration(ConfigValues c, List<HostEntry> hosts) {
        List<String> allow;
        if (c.has("registration.allow")) {
            allow = c.list("registration.allow");
        } else {
            allow = new ArrayList<>(RegistrationAllowList.LOOPBACK);
            for (HostEntry h : hosts) {
                try {
                    allow.add(AgentEndpoint.parse(h.jmxUrl()).host());
                } catch (IllegalArgumentException e) {
                    // a configured URL of another form is polled as configured; it adds nothing to the list
                }
            }
        }
        RegistrationAllowList list;
        try {
            list = new RegistrationAllowList(allow);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("registration.allow", e.getMessage());
        }
        int max = (int) c.integer("registration.maxHosts", 256, 0, 100_000);
        return new RegistrationRules(list, max, new LinkedHashSet<>(c.list("registration.operators")));
    }

    /** Secrets stay out of logs and error messages that print the configuration. */
    @Override
    public String toString() {
        return "ManagerConfig[http=" + httpHost + ":" + httpPort + ", jmx=" + jmxHost() + ":" + jmxPort()
                + ", token=" + (token.isEmpty() ? "(none)" : "(set)") + ", agentUser=" + agentUser
                + ", agentPassword=" + (agentPassword.isEmpty() ? "(none)" : "(set)") + ", hosts=" + hosts.size()
                + ", registration=" + registration.allow().entries() + "]";
    }

    private static Thresholds thresholds(ConfigValues c) {
        double qlH = c.decimal("threshold.queueLength.high", 50, 0.001, 1e9);
        double qlL = c.decimal("threshold.queueLength.low", 20, 0, 1e9);
        below(c, "threshold.queueLength.low", qlL, qlH);
        double qdH = c.millis("threshold.queueDelay.high", 200, 1, 3_600_000);
        double qdL = c.millis("threshold.queueDelay.low", 100, 0, 3_600_000);
        below(c, "threshold.queueDelay.low", qdL, qdH);
        double cpuH = c.decimal("threshold.cpu.high", 0.85, 0.01, 1);
        double cpuL = c.decimal("threshold.cpu.low", 0.70, 0, 1);
        below(c, "threshold.cpu.low", cpuL, cpuH);
        double memH = c.decimal("threshold.memory.high", 0.90, 0.01, 1);
        double memL = c.decimal("threshold.memory.low", 0.80, 0, 1);
        below(c, "threshold.memory.low", memL, memH);
        double rH = c.decimal("threshold.responseRatio.high", 3.0, 1.01, 1000);
        double rL = c.decimal("threshold.responseRatio.low", 2.0, 1, 1000);
        below(c, "threshold.responseRatio.low", rL, rH);
        return new Thresholds(qlH, qlL, qdH, qdL, cpuH, cpuL, memH, memL, rH, rL,
                (int) c.integer("hysteresis.enter", 3, 1, 1000), (int) c.integer("hysteresis.leave", 5, 1, 1000),
                surge(c));
    }

    private static double surge(ConfigValues c) {
        double surge = c.decimal("hysteresis.surge", 2.0, 0, 1000);
        if (surge > 0 && surge < 1) {
            throw new ConfigException("hysteresis.surge", c.string("hysteresis.surge", ""),
                    "0 (off) or a multiple of the high mark of at least 1, e.g. 2");
        }
        return surge;
    }

    private static void below(ConfigValues c, String key, double low, double high) {
        if (low > high) {
            throw new ConfigException(key, c.string(key, String.valueOf(low)),
                    "a value not above the matching high mark (" + high + ")");
        }
    }

    public long intervalMillis() {
        return policy.intervalMillis();
    }

    public String jmxHost() {
        return jmx.bindAddress().getHostAddress();
    }

    public int jmxPort() {
        return jmx.port();
    }
}
