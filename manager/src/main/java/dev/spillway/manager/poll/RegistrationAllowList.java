package dev.spillway.manager.poll;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hosts an agent may register at: literal addresses, CIDR blocks ({@code 10.0.0.0/24}, {@code fd00::/64}) and
 * host names. A registration naming a literal address is matched against the addresses and blocks; one naming a
 * host name only against the names, exactly: nothing is resolved here, so what a DNS server answers today cannot
 * widen the list.
 */
public final class RegistrationAllowList {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?");
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** Loopback in both families and the name that means it. */
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1", "localhost");

    private final List<Block> blocks = new ArrayList<>();
    private final Set<String> names;
    private final List<String> entries;

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** @throws IllegalArgumentException naming the entry and the expected forms */
    public RegistrationAllowList(List<String> entries) {
        this.entries = List.copyOf(entries);
        java.util.HashSet<String> n = new java.util.HashSet<>();
        for (String e : entries) {
            String entry = e.strip();
            int slash = entry.indexOf('/');
            String addr = slash < 0 ? entry : entry.substring(0, slash);
            if (LITERAL.matcher(addr).matches()) {
                byte[] bytes = literal(addr, entry);
                int prefix = bytes.length * 8;
                if (slash >= 0) {
                    String p = entry.substring(slash + 1);
                    if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bytes.length * 8) {
                        throw bad(entry);
                    }
                    prefix = Integer.parseInt(p);
                }
                blocks.add(new Block(bytes, prefix));
            } else if (slash < 0 && NAME.matcher(entry).matches()) {
                n.add(entry.toLowerCase(Locale.ROOT));
            } else {
                throw bad(entry);
            }
        }
        this.names = Set.copyOf(n);
    }

    public boolean allows(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (LITERAL.matcher(h).matches()) {
            byte[] bytes;
            try {
                bytes = literal(h, h);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return blocks.stream().anyMatch(b -> b.contains(bytes));
        }
        return names.contains(h);
    }

    public List<String> entries() {
        return entries;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistrationAllowList other && other.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    private static byte[] literal(String addr, String entry) {
        if (addr.indexOf(':') < 0 && !addr.matches("([0-9]{1,3}\\.){3}[0-9]{1,3}")) {
            throw bad(entry);
        }
        try {
            // a literal never causes a lookup
            return InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw bad(entry);
        }
    }

    private static IllegalArgumentException bad(String entry) {
        return new IllegalArgumentException("'" + entry + "' is not an address, CIDR block or host name; expected"
                + " e.g. 10.0.0.7, 10.0.0.0/24, fd00::/64 or web-1.example.com");
    }
}
