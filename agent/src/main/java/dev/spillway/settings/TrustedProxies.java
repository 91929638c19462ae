package dev.spillway.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses whose forwarding headers (X-Forwarded-*, Forwarded, X-Request-Start) are believed: a list of IPv4 or
 * IPv6 addresses and CIDR blocks. Only literal addresses are accepted, so configuration never triggers a DNS lookup.
 * Immutable and thread-safe.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** @throws ConfigException on {@code key} for an entry that is not an address or CIDR block */
    public static TrustedProxies parse(String key, List<String> entries) {
        List<Block> out = new ArrayList<>();
        for (String e : entries) {
            out.add(Block.parse(key, e));
        }
        return new TrustedProxies(out);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** True if {@code remoteAddr} (a literal, as from {@code getRemoteAddr()}) is inside a trusted block. */
    public boolean trusts(String remoteAddr) {
        if (blocks.isEmpty() || remoteAddr == null || remoteAddr.isEmpty()) {
            return false;
        }
        byte[] addr = literal(remoteAddr);
        if (addr == null) {
            return false;
        }
        for (Block b : blocks) {
            if (b.contains(addr)) {
                return true;
            }
        }
        return false;
    }

    // Parses only literal IPv4/IPv6 text; anything that would need a name lookup is refused.
    static byte[] literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (t.isEmpty() || !(t.indexOf(':') >= 0 || t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            return null;
        }
        if (t.indexOf(':') >= 0 && !t.chars().allMatch(c -> c == ':' || c == '.' || c == '%'
                || Character.digit(c, 16) >= 0)) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Block(byte[] network, int prefix) {
        static Block parse(String key, String entry) {
            String expected = "IP addresses or CIDR blocks, e.g. 10.0.0.0/8, 127.0.0.1, ::1";
            int slash = entry.indexOf('/');
            byte[] addr = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (addr == null) {
                throw new ConfigException(key, entry, expected);
            }
            int prefix = addr.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new ConfigException(key, entry, expected);
                }
                if (prefix < 0 || prefix > addr.length * 8) {
                    throw new ConfigException(key, entry, expected);
                }
            }
            return new Block(addr, prefix);
        }

        boolean contains(byte[] addr) {
            if (addr.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (addr[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (addr[full] & mask) == (network[full] & mask);
        }
    }
}
