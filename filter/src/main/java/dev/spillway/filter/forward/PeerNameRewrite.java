package dev.spillway.filter.forward;

import dev.spillway.filter.peers.Peer;
import java.net.URI;
import java.util.Locale;

/**
 * Rewrites what in a peer's response names the peer (its internal scheme, host, port and context path) to what the
 * client used to reach this server, so a proxied answer never points the client at an internal address:
 * {@code Location} and the URL in {@code Refresh} (absolute, scheme-relative or a path under the peer's context
 * path), and a {@code Set-Cookie}'s {@code Domain} (dropped when it names the peer, which makes the cookie the
 * client's host's alone) and {@code Path} (under the peer's context path). Anything naming another host is left
 * as it is.
 */
final class PeerNameRewrite {
    private final String peerHost; // lower case, without brackets
    private final int peerPort;
    private final String peerPath; // "" or "/ctx"
    private final String clientOrigin; // scheme://host[:port] as the client used it
    private final String clientAuthority;
    private final String clientPath; // "" or "/ctx": this webapp's context path

    PeerNameRewrite(Peer peer, String clientScheme, String clientAuthority, String clientContextPath) {
        URI base = peer.baseUri();
        this.peerHost = unbracket(base.getHost().toLowerCase(Locale.ROOT));
        this.peerPort = port(base.getScheme(), base.getPort());
        String p = base.getRawPath() == null ? "" : base.getRawPath();
        this.peerPath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        this.clientAuthority = clientAuthority;
        this.clientOrigin = clientScheme.toLowerCase(Locale.ROOT) + "://" + clientAuthority;
        this.clientPath = clientContextPath == null ? "" : clientContextPath;
    }

    /** True for the response headers (lower-case names) that may name the peer. */
    static boolean applies(String lowerName) {
        return switch (lowerName) {
            case "location", "content-location", "refresh", "set-cookie" -> true;
            default -> false;
        };
    }

    /** The value of a header {@link #applies} to, rewritten. */
    String header(String lowerName, String value) {
        return switch (lowerName) {
            case "refresh" -> refresh(value);
            case "set-cookie" -> setCookie(value);
            default -> url(value);
        };
    }

    /** A Location (or Content-Location) value with the peer's name replaced by the client's. */
    String url(String value) {
        String v = value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        int authorityStart;
        if (lower.startsWith("http://")) {
            authorityStart = 7;
        } else if (lower.startsWith("https://")) {
            authorityStart = 8;
        } else if (v.startsWith("//")) {
            authorityStart = 2;
        } else if (v.startsWith("/")) {
            return path(v);
        } else {
            return value; // relative to the request URL: the client resolves it against what it used
        }
        int end = authorityStart;
        while (end < v.length() && "/?#".indexOf(v.charAt(end)) < 0) {
            end++;
        }
        String scheme = authorityStart == 2 ? null : lower.substring(0, authorityStart - 3);
        if (!namesPeer(v.substring(authorityStart, end), scheme)) {
            return value;
        }
        String rest = v.substring(end);
        String prefix = authorityStart == 2 ? "//" + clientAuthority : clientOrigin;
        return prefix + (rest.startsWith("/") ? path(rest) : path("/") + rest); // no path is the peer's "/"
    }

    /** A Refresh value ({@code 5; url=...}) with the URL rewritten as {@link #url}. */
    String refresh(String value) {
        int i = value.toLowerCase(Locale.ROOT).indexOf("url=");
        if (i < 0) {
            return value;
        }
        String target = value.substring(i + 4).trim();
        String quote = "";
        if (!target.isEmpty() && (target.charAt(0) == '\'' || target.charAt(0) == '"')) {
            quote = target.substring(0, 1);
            target = target.substring(1);
            if (target.endsWith(quote)) {
                target = target.substring(0, target.length() - 1);
            }
        }
        return value.substring(0, i + 4) + quote + url(target) + quote;
    }

    /** A Set-Cookie value with a Domain naming the peer dropped and a Path under its context path moved. */
    String setCookie(String value) {
        String[] parts = value.split(";", -1);
        StringBuilder out = new StringBuilder(value.length());
        out.append(parts[0]); // name=value, never touched
        for (int k = 1; k < parts.length; k++) {
            String attr = parts[k];
            String trimmed = attr.trim();
            int eq = trimmed.indexOf('=');
            String name = (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String v = eq < 0 ? "" : trimmed.substring(eq + 1).trim();
            if (name.equals("domain")) {
                String d = v.startsWith(".") ? v.substring(1) : v;
                if (unbracket(d.toLowerCase(Locale.ROOT)).equals(peerHost)) {
                    continue; // host-only: the cookie goes back to exactly the host the client used
                }
            } else if (name.equals("path") && v.startsWith("/")) {
                String moved = path(v);
                attr = " " + trimmed.substring(0, eq).trim() + "=" + (moved.isEmpty() ? "/" : moved);
            }
            out.append(';').append(attr);
        }
        return out.toString();
    }

    // An absolute path on the peer: its context path becomes ours.
    private String path(String p) {
        if (peerPath.equals(clientPath) || !underPeerPath(p)) {
            return p;
        }
        String rest = p.substring(peerPath.length());
        return clientPath + (clientPath.isEmpty() && rest.isEmpty() ? "/" : rest);
    }

    private boolean underPeerPath(String p) {
        if (peerPath.isEmpty()) {
            return true;
        }
        return p.startsWith(peerPath)
                && (p.length() == peerPath.length() || "/?#".indexOf(p.charAt(peerPath.length())) >= 0);
    }

    private boolean namesPeer(String authority, String scheme) {
        String a = authority;
        int at = a.lastIndexOf('@');
        if (at >= 0) {
            a = a.substring(at + 1);
        }
        String host;
        int port = -1;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = a.substring(1, close);
            if (close + 1 < a.length() && a.charAt(close + 1) == ':') {
                port = parsePort(a.substring(close + 2));
            }
        } else {
            int colon = a.lastIndexOf(':');
            host = colon < 0 ? a : a.substring(0, colon);
            if (colon >= 0) {
                port = parsePort(a.substring(colon + 1));
            }
        }
        if (port == -2 || !host.toLowerCase(Locale.ROOT).equals(peerHost)) {
            return false;
        }
        return port(scheme, port) == peerPort;
    }

    private static int parsePort(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    private static int port(String scheme, int port) {
        if (port >= 0) {
            return port;
        }
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
