package dev.spillway.filter.forward;

import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import java.nio.charset.StandardCharsets;

/**
 * Builds the URL a moved request goes to: the configured peer's base URL, the checked (decoded) path re-encoded,
 * and the client's raw query. Nothing else from the request (Host, X-Forwarded-Host, an absolute-form target) takes
 * part, and the result contains only printable ASCII: no CR, LF, space or other control character can reach a
 * header or a request line.
 */
final class PeerTarget {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PeerTarget() {
    }

    /** {@code base + path [+ ? query]}; {@code rawQuery} may be null. Any client-sent hop parameter is dropped. */
    static String url(Peer peer, String checkedPath, String rawQuery) {
        StringBuilder sb = new StringBuilder(peer.baseUrl().length() + checkedPath.length() + 64);
        sb.append(peer.baseUrl());
        appendPath(sb, checkedPath.isEmpty() ? "/" : checkedPath);
        String q = query(rawQuery);
        if (!q.isEmpty()) {
            sb.append('?').append(q);
        }
        return sb.toString();
    }

    /** As {@link #url}, with {@code spillway-hop=<token>} appended to the query (the redirect's marker). */
    static String urlWithHop(Peer peer, String checkedPath, String rawQuery, String token) {
        String u = url(peer, checkedPath, rawQuery);
        return u + (u.indexOf('?') >= 0 ? '&' : '?') + HopMarker.QUERY_PARAM + '=' + token;
    }

    // Path characters kept as they are: unreserved, '/', and sub-delims/':'/'@' that carry no meaning to a
    // container's path decoding. ';' (path parameters), '%' and everything else is percent-encoded from UTF-8.
    static void appendPath(StringBuilder sb, String decodedPath) {
        if (decodedPath.charAt(0) != '/') {
            sb.append('/');
        }
        byte[] bytes = decodedPath.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~/!$&'()*+,=:@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                pct(sb, c);
            }
        }
    }

    /**
     * The raw query made safe: characters that are not allowed raw in a URI (controls, space, non-ASCII, quotes,
     * '#', ...) are percent-encoded, a '%' not followed by two hex digits becomes "%25", and every
     * {@code spillway-hop} parameter is removed (so a client cannot plant one before ours).
     */
    static String query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(rawQuery.length() + 8);
        for (String param : rawQuery.split("&", -1)) {
            if (param.isEmpty() || isHopParam(param)) {
                continue;
            }
            if (out.length() > 0) {
                out.append('&');
            }
            byte[] bytes = param.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                int c = bytes[i] & 0xFF;
                if (c == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
                    out.append('%');
                } else if (c > 0x20 && c < 0x7F && "\"<>\\^`{|}#%".indexOf(c) < 0) {
                    out.append((char) c);
                } else {
                    pct(out, c);
                }
            }
        }
        return out.toString();
    }

    private static boolean isHopParam(String param) {
        String name = param;
        int eq = param.indexOf('=');
        if (eq >= 0) {
            name = param.substring(0, eq);
        }
        return name.equalsIgnoreCase(HopMarker.QUERY_PARAM) || name.equalsIgnoreCase("spillway%2Dhop");
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }

    private static void pct(StringBuilder sb, int c) {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
    }
}
