package dev.spillway.manager.dns;

import dev.spillway.agent.config.ConfigException;
import dev.spillway.agent.config.ConfigValues;
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

    /** Keys besides the per-host {@code host.<id>.address}. */
    public static final Set<String> KEYS = Set.of("dns.listen", "dns.zone", "dns.names", "dns.ns", "dns.threads",
            "dns.tcp.connections", "dns.maxAnswers", "dns.rttScale");

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
        double scale = c.millis("dns.rttScale", 50, 1, 60_000);
        if (!c.has("dns.listen")) {
            for (String k : KEYS) {
                if (c.has(k) && !k.equals("dns.rttScale")) {
                    throw new ConfigException(k, "is set but dns.listen is not: name answers are off unless"
                            + " dns.listen=host:port is set");
                }
            }
            return new DnsSettings(null, 0, null, List.of(), null, 0, 0, 0, scale, Map.copyOf(addresses));
        }
        String listen = c.string("dns.listen", "");
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
        Name zone = name(c, "dns.zone", c.requiredString("dns.zone", "the zone to answer for, e.g. example.com"));
        List<String> raw = c.list("dns.names");
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
        Name ns = name(c, "dns.ns", c.string("dns.ns", "ns." + zone));
        return new DnsSettings(host, port, zone, List.copyOf(new ArrayList<>(names)), ns,
                (int) c.integer("dns.threads", 2, 1, 64), (int) c.integer("dns.tcp.connections", 64, 1, 10_000),
                (int) c.integer("dns.maxAnswers", 8, 1, 64), scale, Map.copyOf(addresses));
    }

    private static Name name(ConfigValues c, String key, String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".").canonicalize();
        } catch (TextParseException e) {
            throw new ConfigException(key, text, "a domain name, e.g. www.example.com (" + e.getMessage() + ")");
        }
    }
}
