package dev.spillway.filter.forward;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
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

    /** Every key {@link #from} reads, for the filter's unknown-key check. */
    public static final Set<String> KEYS = Set.of(CONNECT_TIMEOUT, PROXY_TIMEOUT, PROXY_IDLE_TIMEOUT,
            PROXY_MAX_DURATION, SUSPECT_BACKOFF, REDIRECT_CHECK_INTERVAL, TRUSTED_PROXIES, PROXY_CLIENT,
            PEER_FULL_HOLD);

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

    private final long connectTimeoutMillis;
    private final long proxyTimeoutMillis;
    private final long proxyIdleTimeoutMillis;
    private final long proxyMaxDurationMillis;
    private final long suspectBackoffMillis;
    private final long redirectCheckIntervalMillis;
    private final TrustedProxies trustedProxies;
    private final ProxyClient proxyClient;
    private final long peerFullHoldMillis;

    private ForwardSettings(long connectTimeoutMillis, long proxyTimeoutMillis, long proxyIdleTimeoutMillis,
            long proxyMaxDurationMillis, long suspectBackoffMillis, long redirectCheckIntervalMillis,
            TrustedProxies trustedProxies, ProxyClient proxyClient, long peerFullHoldMillis) {
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

    public static ForwardSettings from(ConfigValues c) {
        long proxyTimeout = c.millis(PROXY_TIMEOUT, DEFAULT_PROXY_TIMEOUT_MILLIS, 1, 3_600_000);
        long maxDuration = c.millis(PROXY_MAX_DURATION, DEFAULT_PROXY_MAX_DURATION_MILLIS, 1, 86_400_000);
        if (maxDuration <= proxyTimeout) {
            throw new ConfigException(PROXY_MAX_DURATION, maxDuration + "ms",
                    "a duration longer than " + PROXY_TIMEOUT + " (" + proxyTimeout + "ms)");
        }
        return new ForwardSettings(
                c.millis(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT_MILLIS, 1, 60_000),
                proxyTimeout,
                c.millis(PROXY_IDLE_TIMEOUT, DEFAULT_PROXY_IDLE_TIMEOUT_MILLIS, 1, 3_600_000),
                maxDuration,
                c.millis(SUSPECT_BACKOFF, DEFAULT_SUSPECT_BACKOFF_MILLIS, 0, 3_600_000),
                c.millis(REDIRECT_CHECK_INTERVAL, DEFAULT_REDIRECT_CHECK_INTERVAL_MILLIS, 0, 3_600_000),
                TrustedProxies.parse(TRUSTED_PROXIES, c.list(TRUSTED_PROXIES)),
                ProxyClient.valueOf(c.choice(PROXY_CLIENT, DEFAULT_PROXY_CLIENT.key(),
                        List.of(ProxyClient.JDK.key(), ProxyClient.JETTY.key())).toUpperCase(java.util.Locale.ROOT)),
                c.millis(PEER_FULL_HOLD, DEFAULT_PEER_FULL_HOLD_MILLIS, 0, 3_600_000));
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

    @Override
    public String toString() {
        return CONNECT_TIMEOUT + "=" + connectTimeoutMillis + "ms " + PROXY_TIMEOUT + "=" + proxyTimeoutMillis + "ms "
                + PROXY_IDLE_TIMEOUT + "=" + proxyIdleTimeoutMillis + "ms " + PROXY_MAX_DURATION + "="
                + proxyMaxDurationMillis + "ms " + SUSPECT_BACKOFF + "=" + suspectBackoffMillis + "ms "
                + REDIRECT_CHECK_INTERVAL + "=" + redirectCheckIntervalMillis + "ms " + PROXY_CLIENT + "="
                + proxyClient.key() + " " + PEER_FULL_HOLD + "=" + peerFullHoldMillis + "ms";
    }
}
