package dev.spillway.manager;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.settings.Secrets;
import dev.spillway.manager.dns.DnsSettings;
import dev.spillway.manager.coordination.CoordinationSettings;
import dev.spillway.manager.pool.PoolSettings;
import dev.spillway.manager.poll.AgentEndpoint;
import dev.spillway.manager.poll.HostEntry;
import dev.spillway.manager.poll.HostTable;
import dev.spillway.manager.poll.RegistrationAllowList;
import dev.spillway.manager.poll.RegistrationRules;
import dev.spillway.manager.policy.PolicyConfig;
import dev.spillway.manager.policy.SessionSettings;
import dev.spillway.manager.policy.ThresholdSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The manager's settings, read once from {@link ConfigValues} (file, then command-line flags). Every key is described
 * once, below ({@link #SETTINGS}: the known keys, {@code --help} and the README table come from it); a bad value fails start with a {@link ConfigException}
 * naming the key, the value and the expected form, and an unknown key is refused as a likely typo.
 */
public record ManagerConfig(String httpHost, int httpPort, JmxServerSettings jmx, String token,
                            long pollTimeoutMillis, int pollThreads, long announceMillis, long expiryMillis,
                            String agentUser, String agentPassword, boolean agentSsl, int historySamples,
                            int decisionsKept, PolicyConfig policy, List<HostEntry> hosts,
                            RegistrationRules registration, DnsSettings dns, PoolSettings pool) {

    /** Drain and enable are guarded by the token alone: a short one can be guessed over HTTP. */
    static final int MIN_TOKEN_LENGTH = 16;

    static final Setting<String> HTTP_HOST = Setting.string("http.host", "127.0.0.1", "address of the dashboard"
            + " (`/`), JSON API (`/api/...`) and Prometheus metrics (`/metrics`)");
    static final Setting<Integer> HTTP_PORT = Setting.integer("http.port", 9090, 0, 65535, "their port (0 = any"
            + " free port)");
    static final Setting<String> TOKEN = Setting.of("token", "", "token for `POST /api/hosts/{id}/drain` and"
            + " `/enable` (`Authorization: Bearer <token>`), at least " + MIN_TOKEN_LENGTH + " characters; none:"
            + " drain and enable over HTTP are refused; may be `env:NAME` or `file:PATH`", ManagerConfig::token);
    static final Setting<Long> ANNOUNCE = Setting.duration("registration.announce", 5_000, 100, 3_600_000,
            "how often a registered agent should announce itself again");
    static final Setting<Long> EXPIRY = Setting.of("registration.expiry", "", "when a registered host that stopped"
            + " announcing is forgotten (configured hosts never are)", (c, k) -> {
                long announce = ANNOUNCE.read(c);
                return c.millis(k, announce * 12, announce, 86_400_000);
            }).defaultNote("12 × `registration.announce` (`60s`)");
    static final Setting<List<String>> ALLOW = Setting.list("registration.allow", "the hosts agents may register"
            + " from (the manager connects to the URL an agent registers): addresses, CIDR blocks or host names"
            + " (matched as written, never resolved); empty: none").defaultNote("loopback plus the hosts of the"
            + " `host.<id>.jmx` URLs");
    static final Setting<Integer> MAX_HOSTS = Setting.integer("registration.maxHosts", 256, 0, 100_000, "the most"
            + " self-registered hosts kept; a new id beyond that is refused (configured hosts do not count)");
    static final Setting<List<String>> OPERATORS = Setting.list("registration.operators", "JMX users (of"
            + " `jmx.access.file`) who may deregister any host; an agent may always deregister itself");
    static final Setting<Long> POLL_INTERVAL = Setting.duration("poll.interval", 1_000, 50, 600_000,
            "how often every agent is polled and the policy decides (one cycle)");
    static final Setting<Long> POLL_TIMEOUT = Setting.of("poll.timeout", "", "per-cycle deadline for polling all"
            + " hosts; below `poll.interval`", ManagerConfig::pollTimeout).defaultNote("80% of `poll.interval`");
    static final Setting<Integer> POLL_THREADS = Setting.integer("poll.threads", 16, 1, 1024, "threads polling"
            + " agents in parallel (a hung agent holds at most one)");
    static final Setting<String> AGENT_USER = Setting.string("agent.jmx.user", "", "user at the agents' JMX"
            + " connectors (needs the control role)");
    static final Setting<String> AGENT_PASSWORD = Setting.secret("agent.jmx.password", "its password (may be"
            + " `env:NAME` or `file:PATH`)");
    static final Setting<Boolean> AGENT_SSL = Setting.bool("agent.jmx.ssl", false, "TLS to the agents' connectors");
    static final Setting<List<String>> HOSTS = Setting.list("hosts", "ids of hosts that do not register"
            + " themselves; each id is the agent's host id and the peer id in the filters' `peers` lists");
    static final Setting<Void> HOST_JMX = Setting.documentedOnly("host.<id>.jmx", "—", "required for each id of"
            + " `hosts`: its agent's JMX URL, e.g. `service:jmx:rmi:///jndi/rmi://10.0.0.2:9010/jmxrmi`");
    static final Setting<Void> HOST_ZONE = Setting.documentedOnly("host.<id>.zone", "none", "its zone");
    static final Setting<Void> HOST_WEB = Setting.documentedOnly("host.<id>.web", "none", "where its webapp is"
            + " reached, e.g. `http://10.0.0.2:8080`");
    static final Setting<Integer> FAILURE_MISSES = Setting.integer("failure.misses", 3, 1, 1000, "missed polls (or"
            + " failing health samples) before a host is failed; one miss already makes it unknown");
    static final Setting<Boolean> OFFLOAD_ENABLED = Setting.bool("offload.enabled", true, "false: dry run;"
            + " states, capacities and every permit or directive the manager would send are shown as \"would …\""
            + " (decision log, `/api/decisions`, dashboard, `/metrics`), nothing is sent");
    static final Setting<String> OFFLOAD_MODE = Setting.choice("offload.mode", "REDIRECT", List.of("REDIRECT",
            "PROXY"), "`REDIRECT` (307 to the peer) or `PROXY` (streamed through this host)");
    static final Setting<Double> OFFLOAD_SHARE = Setting.decimal("offload.share", 0.8, 0.05, 1, "budgets pointing"
            + " at a target add up to at most this share of its capacity minus its own load");
    static final Setting<Integer> MAX_TARGETS = Setting.integer("offload.maxTargets", 3, 1, 100, "targets named in"
            + " one host's permit (same zone first, then the most spare capacity)");
    static final Setting<Integer> LEASE_INTERVALS = Setting.integer("lease.intervals", 4, 2, 100, "a permit's"
            + " lease, in poll intervals");
    static final Setting<Double> SPREAD = Setting.decimal("selection.spread", 0.1, 0, 10, "selection score ="
            + " stress + spread × recent picks");
    static final Setting<Double> PICK_DECAY = Setting.decimal("selection.pickDecay", 0.8, 0, 0.99, "how much of"
            + " the recent picks is kept per cycle");
    static final Setting<Integer> HISTORY_SAMPLES = Setting.integer("history.samples", 300, 10, 100_000,
            "samples kept per host for the plots (one per interval: 300 = 5 minutes at 1 s)");
    static final Setting<Integer> DECISIONS_KEPT = Setting.integer("decisions.keep", 200, 1, 100_000,
            "decisions kept for the dashboard and `/api/decisions`");

    /** Every manager setting, in the order of the README table and {@code --help}. */
    static final SettingList SETTINGS = SettingList.of(HTTP_HOST, HTTP_PORT, TOKEN)
            .plus(JmxServerSettings.settings("jmx.", 9091))
            .plus(ANNOUNCE, EXPIRY, ALLOW, MAX_HOSTS, OPERATORS, POLL_INTERVAL, POLL_TIMEOUT, POLL_THREADS, AGENT_USER,
                    AGENT_PASSWORD, AGENT_SSL, HOSTS, HOST_JMX, HOST_ZONE, HOST_WEB)
            .plus(ThresholdSettings.SETTINGS)
            .plus(FAILURE_MISSES, OFFLOAD_ENABLED, OFFLOAD_MODE, OFFLOAD_SHARE, MAX_TARGETS, LEASE_INTERVALS, SPREAD,
                    PICK_DECAY, HISTORY_SAMPLES, DECISIONS_KEPT)
            .plus(SessionSettings.SETTINGS)
            .plus(DnsSettings.SETTINGS)
            .plus(CoordinationSettings.SETTINGS)
            .plus(PoolSettings.SETTINGS);

    /** Every fixed key (the {@code host.<id>.*} keys of {@code hosts} come on top). */
    static final Set<String> KEYS = SETTINGS.keys();

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
        List<String> ids = HOSTS.read(c);
        Set<String> hostKeys = new LinkedHashSet<>();
        for (String id : ids) {
            try {
                HostTable.checkId(id);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("hosts", id, "host ids of 1-64 characters A-Z a-z 0-9 . _ -");
            }
            hostKeys.add("host." + id + ".jmx");
            hostKeys.add("host." + id + ".zone");
            hostKeys.add("host." + id + ".web");
            hostKeys.addAll(DnsSettings.hostKeys(id));
        }
        SETTINGS.requireOnlyKnown(c, hostKeys);

        long interval = POLL_INTERVAL.read(c);
        PolicyConfig policy = new PolicyConfig(ThresholdSettings.read(c), interval, FAILURE_MISSES.read(c),
                OffloadMode.valueOf(OFFLOAD_MODE.read(c)), OFFLOAD_SHARE.read(c), SPREAD.read(c), MAX_TARGETS.read(c),
                LEASE_INTERVALS.read(c), PICK_DECAY.read(c), OFFLOAD_ENABLED.read(c),
                SessionSettings.THRESHOLD.read(c), SessionSettings.WEIGHT.read(c));

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
        return new ManagerConfig(HTTP_HOST.read(c), HTTP_PORT.read(c), JmxServerSettings.from(c, "jmx.", 9091),
                TOKEN.read(c), POLL_TIMEOUT.read(c), POLL_THREADS.read(c), ANNOUNCE.read(c), EXPIRY.read(c),
                AGENT_USER.read(c), AGENT_PASSWORD.read(c), AGENT_SSL.read(c), HISTORY_SAMPLES.read(c),
                DECISIONS_KEPT.read(c), policy, List.copyOf(hosts), registration(c, hosts), DnsSettings.from(c, ids),
                PoolSettings.from(c));
    }

    private static long pollTimeout(ConfigValues c, String key) {
        long interval = POLL_INTERVAL.read(c);
        long timeout = c.millis(key, Math.max(1, interval * 8 / 10), 1, 600_000);
        if (timeout >= interval) {
            throw new ConfigException(key, c.string(key, timeout + "ms"),
                    "less than poll.interval (" + interval + "ms), so a cycle ends before the next one starts");
        }
        return timeout;
    }

    private static String token(ConfigValues c, String key) {
        String token = Secrets.read(c, key, "");
        if (!token.isEmpty() && token.length() < MIN_TOKEN_LENGTH) {
            // the value is a secret: say how long it is, never what it is
            throw new ConfigException(key, "is " + token.length() + " characters long; expected at least "
                    + MIN_TOKEN_LENGTH + " (or none, which refuses drain and enable over HTTP)");
        }
        return token;
    }

    /** Default allow list: loopback and the hosts of the configured agents' URLs. */
    private static RegistrationRules registration(ConfigValues c, List<HostEntry> hosts) {
        List<String> allow;
        if (c.has(ALLOW.key())) {
            allow = ALLOW.read(c);
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
            throw new ConfigException(ALLOW.key(), e.getMessage());
        }
        return new RegistrationRules(list, MAX_HOSTS.read(c), new LinkedHashSet<>(OPERATORS.read(c)));
    }

    /** Secrets stay out of logs and error messages that print the configuration. */
    @Override
    public String toString() {
        return "ManagerConfig[http=" + httpHost + ":" + httpPort + ", jmx=" + jmxHost() + ":" + jmxPort()
                + ", token=" + (token.isEmpty() ? "(none)" : "(set)") + ", agentUser=" + agentUser
                + ", agentPassword=" + (agentPassword.isEmpty() ? "(none)" : "(set)") + ", hosts=" + hosts.size()
                + ", registration=" + registration.allow().entries() + "]";
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
