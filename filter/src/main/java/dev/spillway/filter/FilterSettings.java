package dev.spillway.filter;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import dev.spillway.settings.TrustedProxies;
import dev.spillway.filter.forward.ForwardSettings;
import dev.spillway.filter.peers.Peer;
import dev.spillway.filter.peers.ThisHost;
import dev.spillway.filter.probe.SpillReserve;
import dev.spillway.filter.rules.PageRules;
import dev.spillway.filter.rules.UrlPattern;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The filter's configuration, parsed once from web.xml init-params and the optional properties file, validated
 * whole, and immutable afterwards. Every bad value fails with a {@link ConfigException} naming the key, the value and
 * the expected form; nothing is clamped or ignored. The keys and defaults are listed in the README.
 */
public final class FilterSettings {
    public static final String ALLOW = "allow";
    public static final String DENY = "deny";
    public static final String STATEFUL = "stateful";
    public static final String METHODS = "methods";
    public static final String KEEP_SESSIONS_LOCAL = "keepSessionsLocal";
    public static final String PEERS = "peers";
    public static final String HOP_SECRET = "hopSecret";
    public static final String HOP_TTL = "hopTtl";
    public static final String TRUSTED_PROXIES = "trustedProxies";
    public static final String LOAD_WINDOW = "loadWindow";
    public static final String SPILL_WAITING = "spillWaiting";
    public static final String SPILL_RESERVE = "spillReserve";
    /** {@code on}: pages run here are limited to the pool's maximum less one, and the rest wait in the filter. */
    public static final String ADMISSION_GATE = "admissionGate";
    /** This host's peer id, as the other hosts' {@code peers} lists name it; hop markers are bound to it. */
    public static final String SELF = "self";
    /** The webapp's {@link dev.spillway.filter.spi.LocalAnswer} class: requests it claims are never moved. */
    public static final String LOCAL_ANSWER = "localAnswer";
    /** The built-in page cache's size in KiB; 0 (the default) turns it off. */
    public static final String PAGE_CACHE_KB = "pageCacheKb";
    /** The embedded agent's host id, which is the peer id by convention: {@link #SELF}'s default. */
    static final String AGENT_HOST_ID = "agent.host.id";

    static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD");
    static final int MIN_SECRET_LENGTH = 16;

    /**
     * Two, not one: a pool that spills down to an empty queue leaves its workers idle between arrivals and sends
     * away more than its excess (a 4-worker server at 1.5x its capacity moved 49% of its requests at 1, 34% at 2,
     * where its excess was 35%: BENCHMARKS.md, 8). One request kept waiting costs it service time / workers.
     */
    static final int DEFAULT_SPILL_WAITING = 2;

    static final Setting<List<UrlPattern>> ALLOW_SETTING = Setting.of(ALLOW, "", "pages that may be moved",
            FilterSettings::patterns).defaultNote("empty (all pages)");
    static final Setting<List<UrlPattern>> DENY_SETTING = Setting.of(DENY, "", "pages that are never moved; wins"
            + " over `allow`", FilterSettings::patterns).defaultNote("empty");
    static final Setting<List<UrlPattern>> STATEFUL_SETTING = Setting.of(STATEFUL, "", "pages with server-side"
            + " state; never moved", FilterSettings::patterns).defaultNote("empty");
    static final Setting<List<String>> METHODS_SETTING = Setting.of(METHODS, "GET, HEAD", "methods that may be"
            + " moved (add others only if they are safe to send to another host)", FilterSettings::methods);
    static final Setting<Boolean> KEEP_SESSIONS_LOCAL_SETTING = Setting.bool(KEEP_SESSIONS_LOCAL, true,
            "a request carrying a session id that is valid here is served here");
    static final Setting<List<Peer>> PEERS_SETTING = Setting.of(PEERS, "", "`id=http://host:port/context` entries:"
            + " the only hosts a request can be moved to", FilterSettings::peers).defaultNote("empty");
    static final Setting<String> HOP_SECRET_SETTING = Setting.string(HOP_SECRET, "", "shared secret, ≥ "
            + MIN_SECRET_LENGTH + " characters, the same on every host; signs the hop marker")
            .defaultNote("— (required with `peers`)");
    static final Setting<Long> HOP_TTL_SETTING = Setting.duration(HOP_TTL, 30_000, 1_000, 600_000, "how long a hop"
            + " marker is valid (1s..10m); the hosts' clocks may differ by up to this much either way");
    static final Setting<ThisHost> SELF_SETTING = Setting.of(SELF, "", "this host's id as the other hosts' `peers`"
            + " lists name it; only hop markers issued for this id are honoured here (without it, a marker for any"
            + " peer is, still only for its own method, path and query)", (c, k) -> thisHost(c))
            .defaultNote("`agent.host.id` if set, else none");
    static final Setting<Long> LOAD_WINDOW_SETTING = Setting.duration(LOAD_WINDOW, 10_000, 1_000, 600_000,
            "window of the \"recent maximum\" queue figures (1s..10m)");
    static final Setting<Integer> SPILL_WAITING_SETTING = Setting.integer(SPILL_WAITING, DEFAULT_SPILL_WAITING, 1, 100_000,
            "under a permit, a request spills when at least this many requests wait for a worker behind it (at 1"
            + " the pool drains to empty and idles between arrivals, moving more than its excess; one kept waiting"
            + " costs service time / workers, 25 ms at 4 workers × 100 ms)");
    /**
     * Off: keeping one of 20 workers free brought the hot server's p99 to leastconn's but moved 29-30% of its requests
     * where its excess was 21% (beyond the excess + 5 points the valve keeps to), and one of 10 moved 41% for an
     * excess of 29% (BENCHMARKS.md 7, "Session 5: the hot server's tail").
     */
    static final String DEFAULT_SPILL_RESERVE = "0";
    static final Setting<SpillReserve> SPILL_RESERVE_SETTING = Setting.of(SPILL_RESERVE, DEFAULT_SPILL_RESERVE,
            "under a permit, a request also spills when it took one of the pool's last this many free workers, so"
            + " that they stay free for the next arrivals: a count (`1`) or a whole percent of the pool's maximum,"
            + " rounded down (`5%`: 0 of 10 workers, 1 of 20, 10 of 200); 0 spills only on `spillWaiting`",
            (c, k) -> SpillReserve.parse(k, c.string(k, DEFAULT_SPILL_RESERVE)));
    /** Off: a prototype, measured in BENCHMARKS.md 7, sessions 12 and 13 (spill at arrival, held requests moved). */
    static final Setting<String> ADMISSION_GATE_SETTING = Setting.choice(ADMISSION_GATE, "off", List.of("off", "on"),
            "`on`: the filter lets at most the pool's maximum less one pages run at once, so that each arrival finds"
            + " a worker and reaches the filter at once; one that finds them all running is suspended (`startAsync`)"
            + " in the filter's own queue and resumed in order as pages end, and under a redirect permit each such"
            + " arrival first moves the held requests that may move, oldest first, while a target has budget and"
            + " `spillWaiting` - 1 wait (then it is held, or moved at once if they still wait). Time held counts as"
            + " queue delay. Only for async-supported requests; under a proxy permit held requests are served here."
            + " A prototype (BENCHMARKS.md 7, sessions 12 and 13)");
    static final Setting<String> LOCAL_ANSWER_SETTING = Setting.string(LOCAL_ANSWER, "", "fully qualified name of a"
            + " class in the webapp implementing `dev.spillway.filter.spi.LocalAnswer`: a request it says this server"
            + " answers itself (a cache hit) is never moved, and is counted in `AnsweredLocally`")
            .defaultNote("none");
    static final Setting<Integer> PAGE_CACHE_KB_SETTING = Setting.integer(PAGE_CACHE_KB, 0, 0, 4 * 1024 * 1024,
            "the built-in page cache's size in KiB (0 = off, at most 4 GiB): a GET whose 200 response said"
            + " `Cache-Control: public, max-age=N` is answered from memory for N seconds, here, never moved (see"
            + " \"What can be moved\")");

    /** The filter's own settings, in the order of the README table (the forwarder's and the agent's follow). */
    public static final SettingList SETTINGS = SettingList.of(ALLOW_SETTING, DENY_SETTING, STATEFUL_SETTING,
            METHODS_SETTING, KEEP_SESSIONS_LOCAL_SETTING, PEERS_SETTING, HOP_SECRET_SETTING, HOP_TTL_SETTING,
            SELF_SETTING, ForwardSettings.TRUSTED_PROXIES_SETTING, LOAD_WINDOW_SETTING, SPILL_WAITING_SETTING,
            SPILL_RESERVE_SETTING, ADMISSION_GATE_SETTING, LOCAL_ANSWER_SETTING, PAGE_CACHE_KB_SETTING);

    /** Every key this class reads. */
    public static final Set<String> KEYS = SETTINGS.keys();

    private final PageRules pageRules;
    private final List<String> methods;
    private final boolean keepSessionsLocal;
    private final List<Peer> peers;
    private final byte[] hopSecret;
    private final long hopTtlMillis;
    private final TrustedProxies trustedProxies;
    private final long loadWindowMillis;
    private final int spillWaiting;
    private final SpillReserve spillReserve;
    private final boolean admissionGate;
    private final ThisHost thisHost;
    private final String localAnswerClass;
    private final int pageCacheKb;

    private FilterSettings(ConfigValues c) {
        pageRules = new PageRules(ALLOW_SETTING.read(c), DENY_SETTING.read(c), STATEFUL_SETTING.read(c));
        methods = METHODS_SETTING.read(c);
        keepSessionsLocal = KEEP_SESSIONS_LOCAL_SETTING.read(c);
        peers = PEERS_SETTING.read(c);
        hopSecret = hopSecret(HOP_SECRET_SETTING.read(c), !peers.isEmpty());
        hopTtlMillis = HOP_TTL_SETTING.read(c);
        trustedProxies = ForwardSettings.TRUSTED_PROXIES_SETTING.read(c);
        loadWindowMillis = LOAD_WINDOW_SETTING.read(c);
        spillWaiting = SPILL_WAITING_SETTING.read(c);
        spillReserve = SPILL_RESERVE_SETTING.read(c);
        admissionGate = "on".equals(ADMISSION_GATE_SETTING.read(c));
        thisHost = SELF_SETTING.read(c);
        localAnswerClass = LOCAL_ANSWER_SETTING.read(c).trim();
        pageCacheKb = PAGE_CACHE_KB_SETTING.read(c);
    }

    /** The built-in page cache's size in KiB; 0 when it is off. */
    public int pageCacheKb() {
        return pageCacheKb;
    }

    /** The webapp's LocalAnswer class name, or empty for none. */
    public String localAnswerClass() {
        return localAnswerClass;
    }

    /** Under a permit, a request spills when at least this many requests wait for a worker behind it. */
    public int spillWaiting() {
        return spillWaiting;
    }

    /** Under a permit, a request also spills when it took one of the pool's last this many free workers. */
    public SpillReserve spillReserve() {
        return spillReserve;
    }

    /** True if the filter limits the pages it runs and holds the rest itself ({@code admissionGate=on}). */
    public boolean admissionGate() {
        return admissionGate;
    }

    /**
     * Parses and validates {@code values}; a key not in {@code known} (a typo must never silently disable a rule)
     * is an error too.
     */
    public static FilterSettings from(ConfigValues values, Set<String> known) {
        values.requireOnlyKnown(known);
        return new FilterSettings(values);
    }

    public PageRules pageRules() {
        return pageRules;
    }

    /** The HTTP methods that may be moved, upper case. */
    public List<String> methods() {
        return methods;
    }

    public boolean keepSessionsLocal() {
        return keepSessionsLocal;
    }

    public List<Peer> peers() {
        return peers;
    }

    public byte[] hopSecret() {
        return hopSecret.clone();
    }

    public long hopTtlMillis() {
        return hopTtlMillis;
    }

    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    public long loadWindowMillis() {
        return loadWindowMillis;
    }

    /** This host's peer id ({@code self}, else {@code agent.host.id}), or {@link ThisHost#UNKNOWN}. */
    public ThisHost thisHost() {
        return thisHost;
    }

    private static ThisHost thisHost(ConfigValues c) {
        String key = c.has(SELF) ? SELF : c.has(AGENT_HOST_ID) ? AGENT_HOST_ID : null;
        if (key == null) {
            return ThisHost.UNKNOWN;
        }
        String id = c.string(key, "").trim();
        if (id.isEmpty() || !id.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f && ch != ',' && ch != '=')) {
            throw new ConfigException(key, id, "this host's peer id as the other hosts' peers lists name it"
                    + " (printable ASCII without spaces, ',' or '=')");
        }
        return ThisHost.named(id);
    }

    /**
     * Rule lists are split on commas and whitespace, except that a {@code regex:} entry runs to the next whitespace,
     * so a regex may contain commas ({@code {1,3}}); write {@code \s} for whitespace inside one.
     */
    static List<String> ruleEntries(String text) {
        List<String> out = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (word.startsWith(UrlPattern.REGEX_PREFIX)) {
                out.add(word.endsWith(",") ? word.substring(0, word.length() - 1) : word);
                continue;
            }
            for (String part : word.split(",")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        return out;
    }

    private static List<UrlPattern> patterns(ConfigValues c, String key) {
        List<UrlPattern> out = new ArrayList<>();
        if (!c.has(key)) {
            return out;
        }
        for (String entry : ruleEntries(c.string(key, ""))) {
            try {
                out.add(UrlPattern.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, e.getMessage());
            }
        }
        return out;
    }

    private static List<String> methods(ConfigValues c, String key) {
        if (!c.has(key)) {
            return DEFAULT_METHODS;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String m : c.list(key)) {
            if (!m.chars().allMatch(ch -> (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '-')) {
                throw new ConfigException(key, c.string(key, ""),
                        "HTTP method names separated by commas, e.g. GET, HEAD");
            }
            out.add(m.toUpperCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }

    private static List<Peer> peers(ConfigValues c, String key) {
        List<Peer> out = new ArrayList<>();
        for (String entry : c.list(key)) {
            Peer p;
            try {
                p = Peer.parse(entry);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, e.getMessage());
            }
            for (Peer q : out) {
                if (q.id().equals(p.id())) {
                    throw new ConfigException(key, "peer id '" + p.id() + "' is given twice; expected unique ids");
                }
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    // With peers a shared secret is required: without it no host could verify another's hop marker, and a request
    // could bounce between hosts. Without peers nothing is moved, and a random secret keeps markers unforgeable.
    private static byte[] hopSecret(String s, boolean required) {
        if (s.isEmpty()) {
            if (required) {
                throw new ConfigException(HOP_SECRET, null, "a shared secret of at least " + MIN_SECRET_LENGTH
                        + " characters, the same on every host (needed because peers are configured)");
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        }
        if (s.length() < MIN_SECRET_LENGTH) {
            // The value itself is a secret: name the key and the problem, never echo it.
            throw new ConfigException(HOP_SECRET, "is " + s.length() + " characters long; expected a shared secret"
                    + " of at least " + MIN_SECRET_LENGTH + " characters");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
