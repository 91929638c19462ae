package dev.spillway.filter.forward;

import dev.spillway.settings.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The forwarding headers the proxy sends upstream: X-Forwarded-For/-Proto/-Host, Forwarded and Via, set from what
 * this server saw (Via is always only ours). A client's own values are dropped, because anyone can send them; only when the client is a
 * configured trusted proxy are its values kept and extended (its X-Forwarded-For gets our client appended).
 */
final class ForwardedHeaders {
    static final String VIA = "1.1 spillway";

    private ForwardedHeaders() {
    }

    /** True for the client-sent headers this class replaces (lower-case name). */
    static boolean isReplaced(String lowerName) {
        return lowerName.startsWith("x-forwarded-") || lowerName.equals("forwarded") || lowerName.equals("via")
                || lowerName.equals("x-real-ip");
    }

    /** Emits the forwarding headers for {@code clientRequest} to {@code sink(name, value)}. */
    static void write(HttpServletRequest clientRequest, TrustedProxies trusted, BiConsumer<String, String> sink) {
        String remote = clientRequest.getRemoteAddr();
        String proto = clientRequest.getScheme().toLowerCase(Locale.ROOT);
        String host = clientAuthority(clientRequest);
        boolean trustClient = trusted.trusts(remote);

        String xff = remote;
        String xfProto = proto;
        String xfHost = host;
        String forwarded = forwardedElement(remote, proto, host);
        if (trustClient) {
            String prior = joined(clientRequest, "X-Forwarded-For");
            if (prior != null) {
                xff = prior + ", " + remote;
            }
            xfProto = firstOr(clientRequest.getHeader("X-Forwarded-Proto"), proto);
            xfHost = firstOr(clientRequest.getHeader("X-Forwarded-Host"), host);
            String priorFwd = joined(clientRequest, "Forwarded");
            if (priorFwd != null) {
                forwarded = priorFwd + ", " + forwarded;
            }
            // Trusted proxies' other X-Forwarded-* (Port, Prefix, ...) are passed on as they came.
            for (String name : java.util.Collections.list(clientRequest.getHeaderNames())) {
                String l = name.toLowerCase(Locale.ROOT);
                if (l.startsWith("x-forwarded-") && !l.equals("x-forwarded-for") && !l.equals("x-forwarded-proto")
                        && !l.equals("x-forwarded-host")) {
                    for (String v : java.util.Collections.list(clientRequest.getHeaders(name))) {
                        sink.accept(name, v);
                    }
                }
            }
        }
        sink.accept("X-Forwarded-For", xff);
        sink.accept("X-Forwarded-Proto", xfProto);
        sink.accept("X-Forwarded-Host", xfHost);
        sink.accept("Forwarded", forwarded);
        // Ours alone: a client-sent Via (even a trusted proxy's) could claim hops and protocols that never were.
        sink.accept("Via", VIA);
    }

    static String forwardedElement(String remote, String proto, String host) {
        String node = remote.indexOf(':') >= 0 ? "\"[" + remote + "]\"" : remote;
        return "for=" + node + ";proto=" + proto + ";host=\"" + host + "\"";
    }

    /** The Host the client sent, only if it is a plain authority; otherwise what the container derived. */
    static String clientAuthority(HttpServletRequest r) {
        String h = r.getHeader("Host");
        if (h != null && !h.isEmpty() && h.length() <= 255
                && h.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_')) {
            return h;
        }
        return r.getServerName() + ":" + r.getServerPort();
    }

    private static String joined(HttpServletRequest r, String name) {
        String out = null;
        for (String v : java.util.Collections.list(r.getHeaders(name))) {
            out = out == null ? v : out + ", " + v;
        }
        return out;
    }

    private static String firstOr(String v, String def) {
        return v == null || v.isEmpty() ? def : v;
    }
}
