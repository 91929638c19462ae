package dev.spillway.manager.route;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The network a client belongs to for round-trip times: its /24 for IPv4, its /48 for IPv6, the grouping the agents
 * report in. The key is the network's first address and prefix, e.g. {@code 192.0.2.0/24}, {@code 2001:db8:1::/48}.
 */
public final class ClientNetwork {
    public static final int IPV4_PREFIX = 24;
    public static final int IPV6_PREFIX = 48;

    private ClientNetwork() {
    }

    /** The key of {@code address}'s network. */
    public static String key(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/" + IPV4_PREFIX;
        }
        return String.format("%x:%x:%x::/%d", word(b, 0), word(b, 2), word(b, 4), IPV6_PREFIX);
    }

    /** The prefix a source must carry at least for its network to be known (ECS with a shorter prefix is not). */
    public static int prefixFor(InetAddress address) {
        return address instanceof Inet4Address ? IPV4_PREFIX : IPV6_PREFIX;
    }

    private static int word(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
}
