package dev.spillway.manager.dns;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import dev.spillway.manager.route.HostAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The name-answer settings ({@code dns.*} and {@code host.<id>.address}), read and checked in one place. Off
 * ({@link #enabled()} false) unless {@code dns.listen} is set; then {@code dns.zone} and {@code dns.names} are
 * required. The TTL is not a setting: it is the control interval rounded up to whole seconds (at least 1 s), so a
 * resolver never keeps an order longer than the manager keeps it.
 *
 * @param listenHost      address to bind UDP and TCP to
 * @param listenPort      port (0 picks a free one, for tests)
 * @param zone            the zone the manager is authoritative for (SOA and NS live at its apex)
 * @param names           the names inside the zone that answer with the hosts' addresses
 * @param nameServer      the NS record's target (default {@code ns.<zone>})
 * @param threads         UDP worker threads (each receives, answers and sends)
 * @param tcpConnections  TCP connections served at once; more are closed at once
 * @param maxAnswers      addresses per answer at most
 * @param rttScaleMillis  round-trip milliseconds that weigh as much as 1.0 of the policy score
 * @param hostAddresses   per-host client-facing address ({@code host.<id>.address}), overriding the web base URL's
 */
public record DnsSettings(String listenHost, int listenPort, Name zone, List<Name> names, Name nameServer,
                          int threads, int tcpConnections, int maxAnswers, double rttScaleMillis,
                          Map<String, InetAddress> hostAddresses) {

    static final Setting<String> LISTEN = Setting.string("dns.listen", "", "`host:port` the name answers are"
            + " served on (UDP and TCP), e.g. `0.0.0.0:53`; unset: no name answers").defaultNote("off");
    static final Setting<String> ZONE = Setting.string("dns.zone", "", "the zone the manager is authoritative for"
            + " (SOA and NS at its apex); required with `dns.listen`").defaultNote("—");
    static final Setting<List<String>> NAMES = Setting.list("dns.names", "names inside `dns.zone` that answer with"
            + " the eligible hosts' addresses, best first; required with `dns.listen`").defaultNote("—");
    static final Setting<String> NS = Setting.string("dns.ns", "", "the NS record's target")
            .defaultNote("`ns.<zone>`");
    static final Setting<Integer> MAX_ANSWERS = Setting.integer("dns.maxAnswers", 8, 1, 64,
            "addresses in one answer at most");
    static final Setting<Long> RTT_SCALE = Setting.duration("dns.rttScale", 50, 1, 60_000, "a client network's"
            + " round-trip time that weighs as much as 1.0 of the selection score");
    static final Setting<Integer> THREADS = Setting.integer("dns.threads", 2, 1, 64, "UDP threads (each receives,"
            + " answers and sends; no queue)");
    static final Setting<Integer> TCP_CONNECTIONS = Setting.integer("dns.tcp.connections", 64, 1, 10_000,
            "TCP connections served at once; more are closed");
    static final Setting<Void> HOST_ADDRESS = Setting.documentedOnly("host.<id>.address", "the IP of its web base"
            + " URL", "the address clients reach host `<id>` at (an IPv4 or IPv6 literal)");

    /** Every name-answer setting, in the order of the README table. */
    public static final SettingList SETTINGS = SettingList.of(LISTEN, ZONE, NAMES, NS, MAX_ANSWERS, RTT_SCALE,
            THREADS, TCP_CONNECTIONS, HOST_ADDRESS);

    /** Keys besides the per-host {@code host.<id>.address}. */
    public static final Set<String> KEYS = SETTINGS.keys();

    public static final DnsSettings OFF = new DnsSettings(null, 0, null, List.of(), null, 0, 0, 0, 50, Map.of());

    public static Set<String> hostKeys(String id) {
        return Set.of("host." + id + ".address");
    }

    public boolean enabled() {
        return listenHost != null;
    }

    /** Whole seconds: the control interval rounded up, at least 1. */
    public static long ttlSeconds(long intervalMillis) {
        return Math.max(1, (intervalMillis + 999) / 1000);
    }

    public static DnsSettings from(ConfigValues c, List<String> hostIds) {
        Map<String, InetAddress> addresses = new HashMap<>();
        for (String id : hostIds) {
            String key = "host." + id + ".address";
            if (c.has(key)) {
                InetAddress a = HostAddress.literal(c.string(key, ""));
                if (a == null) {
                    throw new ConfigException(key, c.string(key, ""), "an IPv4 or IPv6 address literal");
                }
                addresses.put(id, a);
            }
        }
        double scale = RTT_SCALE.read(c);
        if (!c.has(LISTEN.key())) {
            for (String k : List.of(ZONE.key(), NAMES.key(), NS.key())) { // no default: only set to use DNS
                if (c.has(k)) {
                    throw new ConfigException(k, "is set but dns.listen is not: name answers are off unless"
                            + " dns.listen=host:port is set");
                }
            }
            return new DnsSettings(null, 0, null, List.of(), null, 0, 0, 0, scale, Map.copyOf(addresses));
        }
        String listen = LISTEN.read(c);
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException("dns.listen", listen, "host:port, e.g. 0.0.0.0:53 or [::1]:5353");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535 || host.isEmpty()) {
            throw new ConfigException("dns.listen", listen, "host:port with a port of 0-65535");
        }
        Name zone = name(c, ZONE.key(), c.requiredString(ZONE.key(), "the zone to answer for, e.g. example.com"));
        List<String> raw = NAMES.read(c);
        if (raw.isEmpty()) {
            throw new ConfigException("dns.names", "", "one or more names inside dns.zone, e.g. www.example.com");
        }
        Set<Name> names = new LinkedHashSet<>();
        for (String n : raw) {
            Name name = name(c, "dns.names", n);
            if (!name.subdomain(zone)) {
                throw new ConfigException("dns.names", n, "a name inside dns.zone (" + zone + ")");
            }
            names.add(name);
        }
        Name ns = name(c, NS.key(), c.has(NS.key()) ? NS.read(c) : "ns." + zone);
        return new DnsSettings(host, port, zone, List.copyOf(new ArrayList<>(names)), ns,
                THREADS.read(c), TCP_CONNECTIONS.read(c), MAX_ANSWERS.read(c), scale, Map.copyOf(addresses));
    }

    private static Name name(ConfigValues c, String key, String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".").canonicalize();
        } catch (TextParseException e) {
            throw new ConfigException(key, text, "a domain name, e.g. www.example.com (" + e.getMessage() + ")");
        }
    }
}
