package dev.spillway.filter.forward;

import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that describe one connection, not the message, and so never cross the proxy in either direction
 * (RFC 9110 7.6.1): Connection, every header named in Connection, Keep-Alive, TE, Trailer, Transfer-Encoding,
 * Upgrade and every Proxy-* header.
 */
final class HopByHopHeaders {
    private static final Set<String> FIXED = Set.of("connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade");

    private final Set<String> named;

    private HopByHopHeaders(Set<String> named) {
        this.named = named;
    }

    /** The set for one message, given the values of its Connection header(s). */
    static HopByHopHeaders of(Enumeration<String> connectionValues) {
        Set<String> named = Set.of();
        while (connectionValues != null && connectionValues.hasMoreElements()) {
            named = addTokens(named, connectionValues.nextElement());
        }
        return new HopByHopHeaders(named);
    }

    static HopByHopHeaders of(Iterable<String> connectionValues) {
        Set<String> named = Set.of();
        for (String v : connectionValues) {
            named = addTokens(named, v);
        }
        return new HopByHopHeaders(named);
    }

    private static Set<String> addTokens(Set<String> named, String value) {
        if (value == null) {
            return named;
        }
        Set<String> out = named.isEmpty() ? new HashSet<>() : named;
        for (String token : value.split(",")) {
            String t = token.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** @param lowerName a header name in lower case */
    boolean contains(String lowerName) {
        return FIXED.contains(lowerName) || lowerName.startsWith("proxy-") || named.contains(lowerName);
    }
}
