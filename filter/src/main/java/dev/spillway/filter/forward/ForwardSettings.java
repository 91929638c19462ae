package dev.spillway.filter.forward;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import dev.spillway.settings.TrustedProxies;
import java.util.List;
import java.util.Set;

/**
 * The forwarding settings, read once from configuration and immutable afterwards. Every bad value fails with a
 * {@link dev.spillway.settings.ConfigException} naming the key, the value and the expected form.
 */
public final class ForwardSettings {
    /** Time allowed to open the TCP connection to a peer; a connect failure within it falls back to local service. */
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    /** Time allowed from sending the request to receiving the peer's response head; past it the client gets 504. */
    public static final String PROXY_TIMEOUT = "proxyTimeout";
    /**
     * Once the peer's response head arrived, the longest the relay waits for the peer's next bytes or for the
     * client to take the last ones; past it the exchange is cut off (the client's connection is closed).
     */
    public static final String PROXY_IDLE_TIMEOUT = "proxyIdleTimeout";
    /**
     * The servlet async timeout of a proxied exchange: a bound on its whole duration, behind the idle timeouts
     * (a peer that trickles a byte now and then never trips those). Must be longer than {@link #PROXY_TIMEOUT}.
     */
    public static final String PROXY_MAX_DURATION = "proxyMaxDuration";
    /** How long a peer that failed is skipped before it is tried again. */
    public static final String SUSPECT_BACKOFF = "suspectBackoff";
    /**
     * How often a peer that redirects go to is checked for a listening port (0: never); one that refuses is then
     * skipped like a failed proxy peer, for {@link #SUSPECT_BACKOFF}.
     */
    public static final String REDIRECT_CHECK_INTERVAL = "redirectCheckInterval";
    /**
     * Proxy mode: how long a peer whose own answer said it was full is passed over when no newer answer says it has
     * room again (it gets no requests meanwhile, so no answers either). 0: answers are not acted on.
     */
    public static final String PEER_FULL_HOLD = "peerFullHold";
    /** Addresses whose X-Forwarded-* / Forwarded headers are kept and extended instead of replaced. */
    public static final String TRUSTED_PROXIES = "trustedProxies";

    /** The HTTP client proxy mode uses: {@code jdk} (java.net.http) or {@code jetty} (relocated into the JAR). */
    public static final String PROXY_CLIENT = "proxyClient";
    /** Proxy mode: relays in flight to one peer at most; beyond it a request is served here. */
    public static final String PROXY_MAX_RELAYS = "proxyMaxRelays";

    /** The HTTP clients proxy mode can use. */
    public enum ProxyClient {
        JDK, JETTY;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Jetty's client: 3 to 4 times the JDK 17 client's throughput in ProxyBench (see BENCHMARKS.md). */
    public static final ProxyClient DEFAULT_PROXY_CLIENT = ProxyClient.JETTY;

    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 250;
    public static final long DEFAULT_PROXY_TIMEOUT_MILLIS = 30_000;
    public static final long DEFAULT_PROXY_IDLE_TIMEOUT_MILLIS = 30_000;
    public static final long DEFAULT_PROXY_MAX_DURATION_MILLIS = 3_600_000;
    public static final long DEFAULT_SUSPECT_BACKOFF_MILLIS = 10_000;
    public static final long DEFAULT_REDIRECT_CHECK_INTERVAL_MILLIS = 1_000;
    /** A few service times of a typical page, well under a manager cycle (1 s): a peer that empties is soon back. */
    public static final long DEFAULT_PEER_FULL_HOLD_MILLIS = 500;
    /**
     * Far above what a permit's budget puts in flight to a peer (budget x the peer's answer time: 100 req/s at 100 ms
     * is 10), and a few MB of heap per peer when all are taken; half the HTTP client's own default connection limit.
     */
    public static final int DEFAULT_PROXY_MAX_RELAYS = 128;

    static final Setting<Long> CONNECT_TIMEOUT_SETTING = Setting.duration(CONNECT_TIMEOUT,
            DEFAULT_CONNECT_TIMEOUT_MILLIS, 1, 60_000, "proxy mode: a peer that does not accept the connect in this"
            + " time is skipped and the request served here");
    static final Setting<Long> PROXY_TIMEOUT_SETTING = Setting.duration(PROXY_TIMEOUT, DEFAULT_PROXY_TIMEOUT_MILLIS,
            1, 3_600_000, "proxy mode: longest wait for the peer's response (then 504)");
    static final Setting<Long> PROXY_IDLE_TIMEOUT_SETTING = Setting.duration(PROXY_IDLE_TIMEOUT,
            DEFAULT_PROXY_IDLE_TIMEOUT_MILLIS, 1, 3_600_000, "proxy mode: once the peer's answer began, longest wait"
            + " for its next bytes or for the client to take the last ones (then the connection is closed)");
    static final Setting<Long> PROXY_MAX_DURATION_SETTING = Setting.duration(PROXY_MAX_DURATION,
            DEFAULT_PROXY_MAX_DURATION_MILLIS, 1, 86_400_000, "proxy mode: bound on a proxied exchange's whole"
            + " duration (the servlet async timeout); longer than `proxyTimeout`");
    static final Setting<Long> SUSPECT_BACKOFF_SETTING = Setting.duration(SUSPECT_BACKOFF,
            DEFAULT_SUSPECT_BACKOFF_MILLIS, 0, 3_600_000, "how long a peer that failed is skipped (0 = never skipped)");
    static final Setting<Long> PEER_FULL_HOLD_SETTING = Setting.duration(PEER_FULL_HOLD, DEFAULT_PEER_FULL_HOLD_MILLIS,
            0, 3_600_000, "how long a peer gets no moved requests after its own signed answer said it was full (no"
            + " idle worker, or two jobs waiting for one; proxy mode), or after it moved a request here while requests"
            + " waited for its workers (both modes), unless a newer answer says it has room (0 = neither is acted on);"
            + " see [In-band load](#in-band-load)");
    static final Setting<ProxyClient> PROXY_CLIENT_SETTING = Setting.of(PROXY_CLIENT, DEFAULT_PROXY_CLIENT.key(),
            "proxy mode's HTTP client to the peers: `jetty` is Jetty 12.1.12's client relocated inside the filter JAR"
            + " (under `dev.spillway.shaded`, so it never meets the container's own Jetty); `jdk` is `java.net.http`"
            + " (see below for its cost on small machines)",
            (c, k) -> ProxyClient.valueOf(c.choice(k, DEFAULT_PROXY_CLIENT.key(),
                    List.of(ProxyClient.JDK.key(), ProxyClient.JETTY.key())).toUpperCase(java.util.Locale.ROOT)));
    static final Setting<Integer> PROXY_MAX_RELAYS_SETTING = Setting.integer(PROXY_MAX_RELAYS, DEFAULT_PROXY_MAX_RELAYS,
            1, 10_000, "proxy mode: proxied requests in flight to one peer at most (each holds its request, response"
            + " and connection until the answer is relayed); a request beyond it is served here and counted in"
            + " `Declined` as `relays-full`, so a slow peer cannot make this server run out of heap");
    static final Setting<Long> REDIRECT_CHECK_INTERVAL_SETTING = Setting.duration(REDIRECT_CHECK_INTERVAL,
            DEFAULT_REDIRECT_CHECK_INTERVAL_MILLIS, 0, 3_600_000, "redirect mode: how often each peer redirects go to"
            + " is checked for an open port; one that refuses is skipped for `suspectBackoff` (0 = no check)");
    /** Shared with the filter's own settings, which read it once and hand it over ({@link #from(ConfigValues, TrustedProxies)}). */
    public static final Setting<TrustedProxies> TRUSTED_PROXIES_SETTING = Setting.of(TRUSTED_PROXIES, "",
            "IPs/CIDRs of front proxies whose `X-Request-Start` and `X-Forwarded-*` headers are believed",
            (c, k) -> TrustedProxies.parse(k, c.list(k))).defaultNote("empty");

    /** The forwarding settings, in the order of the README table. */
    public static final SettingList SETTINGS = SettingList.of(CONNECT_TIMEOUT_SETTING, PROXY_TIMEOUT_SETTING,
            PROXY_IDLE_TIMEOUT_SETTING, PROXY_MAX_DURATION_SETTING, SUSPECT_BACKOFF_SETTING, PEER_FULL_HOLD_SETTING,
            PROXY_CLIENT_SETTING, PROXY_MAX_RELAYS_SETTING, REDIRECT_CHECK_INTERVAL_SETTING, TRUSTED_PROXIES_SETTING);

    /** Every key {@link #from} reads, for the filter's unknown-key check. */
    public static final Set<String> KEYS = SETTINGS.keys();

    private final long connectTimeoutMillis;
    private final long proxyTimeoutMillis;
    private final long proxyIdleTimeoutMillis;
    private final long proxyMaxDurationMillis;
    private final long suspectBackoffMillis;
    private final long redirectCheckIntervalMillis;
    private final TrustedProxies trustedProxies;
    private final ProxyClient proxyClient;
    private final long peerFullHoldMillis;
    private final int proxyMaxRelays;

    private ForwardSettings(long connectTimeoutMillis, long proxyTimeoutMillis, long proxyIdleTimeoutMillis,
            long proxyMaxDurationMillis, long suspectBackoffMillis, long redirectCheckIntervalMillis,
            TrustedProxies trustedProxies, ProxyClient proxyClient, long peerFullHoldMillis, int proxyMaxRelays) {
        this.proxyMaxRelays = proxyMaxRelays;
        this.peerFullHoldMillis = peerFullHoldMillis;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.proxyTimeoutMillis = proxyTimeoutMillis;
        this.proxyIdleTimeoutMillis = proxyIdleTimeoutMillis;
        this.proxyMaxDurationMillis = proxyMaxDurationMillis;
        this.suspectBackoffMillis = suspectBackoffMillis;
        this.redirectCheckIntervalMillis = redirectCheckIntervalMillis;
        this.trustedProxies = trustedProxies;
        this.proxyClient = proxyClient;
    }

    public static ForwardSettings defaults() {
        return from(ConfigValues.empty());
    }

    /** Reads every forwarding setting, {@code trustedProxies} included. */
    public static ForwardSettings from(ConfigValues c) {
        return from(c, TRUSTED_PROXIES_SETTING.read(c));
    }

    /** Reads the forwarding settings with {@code trustedProxies} as the filter already read it. */
    public static ForwardSettings from(ConfigValues c, TrustedProxies trustedProxies) {
        long proxyTimeout = PROXY_TIMEOUT_SETTING.read(c);
        long maxDuration = PROXY_MAX_DURATION_SETTING.read(c);
        if (maxDuration <= proxyTimeout) {
            throw new ConfigException(PROXY_MAX_DURATION, maxDuration + "ms",
                    "a duration longer than " + PROXY_TIMEOUT + " (" + proxyTimeout + "ms)");
        }
        return new ForwardSettings(CONNECT_TIMEOUT_SETTING.read(c), proxyTimeout, PROXY_IDLE_TIMEOUT_SETTING.read(c),
                maxDuration, SUSPECT_BACKOFF_SETTING.read(c), REDIRECT_CHECK_INTERVAL_SETTING.read(c), trustedProxies,
                PROXY_CLIENT_SETTING.read(c), PEER_FULL_HOLD_SETTING.read(c), PROXY_MAX_RELAYS_SETTING.read(c));
    }

    public long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public long proxyTimeoutMillis() {
        return proxyTimeoutMillis;
    }

    public long proxyIdleTimeoutMillis() {
        return proxyIdleTimeoutMillis;
    }

    public long proxyMaxDurationMillis() {
        return proxyMaxDurationMillis;
    }

    public long suspectBackoffMillis() {
        return suspectBackoffMillis;
    }

    public long redirectCheckIntervalMillis() {
        return redirectCheckIntervalMillis;
    }

    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    public ProxyClient proxyClient() {
        return proxyClient;
    }

    public long peerFullHoldMillis() {
        return peerFullHoldMillis;
    }

    public int proxyMaxRelays() {
        return proxyMaxRelays;
    }

    @Override
    public String toString() {
        return CONNECT_TIMEOUT + "=" + connectTimeoutMillis + "ms " + PROXY_TIMEOUT + "=" + proxyTimeoutMillis + "ms "
                + PROXY_IDLE_TIMEOUT + "=" + proxyIdleTimeoutMillis + "ms " + PROXY_MAX_DURATION + "="
                + proxyMaxDurationMillis + "ms " + SUSPECT_BACKOFF + "=" + suspectBackoffMillis + "ms "
                + REDIRECT_CHECK_INTERVAL + "=" + redirectCheckIntervalMillis + "ms " + PROXY_CLIENT + "="
                + proxyClient.key() + " " + PEER_FULL_HOLD + "=" + peerFullHoldMillis + "ms " + PROXY_MAX_RELAYS + "=" + proxyMaxRelays;
    }
}
