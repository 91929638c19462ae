package dev.spillway.filter;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * Request features that make a GET or HEAD something other than a plain idempotent fetch, whatever its method
 * says: a protocol upgrade (the connection becomes a WebSocket, which neither a 307 nor the proxy carries), and a
 * method override, by which frameworks (Spring's HiddenHttpMethodFilter, Rails, Laravel, JAX-RS filters) run a
 * request as PUT or DELETE. Stateless; allocates nothing (but the container's header enumeration).
 */
final class RequestShape {
    private static final String[] OVERRIDE_HEADERS = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"};
    private static final String PARAM = "_method";

    private RequestShape() {
    }

    /**
     * An {@code Upgrade} header naming any protocol but {@code h2c}, or else an {@code upgrade} token in any
     * {@code Connection} header. {@code h2c} alone is left out: clients such as Java's own HttpClient offer it on
     * every plain-HTTP request, the server may ignore the offer, and a 307 or a proxied HTTP/1.1 answer does just
     * that (the proxy drops both hop-by-hop headers), so such a request is still a plain fetch.
     */
    static boolean isUpgrade(HttpServletRequest request) {
        if (request.getHeader("Upgrade") != null) {
            Enumeration<String> upgrade = request.getHeaders("Upgrade");
            while (upgrade.hasMoreElements()) {
                for (String protocol : upgrade.nextElement().split(",")) {
                    String name = protocol.trim();
                    int slash = name.indexOf('/');
                    if (!(slash < 0 ? name : name.substring(0, slash)).trim().equalsIgnoreCase("h2c")) {
                        return true;
                    }
                }
            }
            return false; // only h2c offered: the Connection header's "upgrade" token belongs to that offer
        }
        if (request.getHeader("Connection") == null) {
            return false;
        }
        Enumeration<String> connection = request.getHeaders("Connection");
        while (connection.hasMoreElements()) {
            if (hasToken(connection.nextElement(), "upgrade")) {
                return true;
            }
        }
        return false;
    }

    /** Any method-override header (whatever its value), or a {@code _method} parameter in the query. */
    static boolean overridesMethod(HttpServletRequest request) {
        for (String h : OVERRIDE_HEADERS) {
            if (request.getHeader(h) != null) {
                return true;
            }
        }
        return mentionsMethodParameter(request.getQueryString());
    }

    /**
     * True if the query, percent-decoded once (as parameter parsers do), contains {@code _method} in any case. Errs
     * towards "yes" (a value containing the word also counts): a false match costs one request served here. Only the
     * query is read: {@code getParameter} would consume a form body. Decodes as it compares, allocating nothing.
     */
    static boolean mentionsMethodParameter(String query) {
        if (query == null) {
            return false;
        }
        for (int i = 0; i < query.length(); i++) {
            if (decodedMatchAt(query, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean decodedMatchAt(String s, int at) {
        int j = at;
        for (int k = 0; k < PARAM.length(); k++) {
            if (j >= s.length()) {
                return false;
            }
            int c = s.charAt(j);
            if (c == '%' && j + 2 < s.length() && hex(s.charAt(j + 1)) >= 0 && hex(s.charAt(j + 2)) >= 0) {
                c = hex(s.charAt(j + 1)) << 4 | hex(s.charAt(j + 2));
                j += 3;
            } else {
                j++;
            }
            if (Character.toLowerCase(c) != PARAM.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    // A comma-separated token list (Connection) holds the token, in any case, with optional whitespace around it.
    private static boolean hasToken(String list, String token) {
        int n = list.length();
        int start = 0;
        while (start <= n) {
            int end = list.indexOf(',', start);
            if (end < 0) {
                end = n;
            }
            int a = start;
            int b = end;
            while (a < b && Character.isWhitespace(list.charAt(a))) {
                a++;
            }
            while (b > a && Character.isWhitespace(list.charAt(b - 1))) {
                b--;
            }
            if (b - a == token.length() && list.regionMatches(true, a, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static int hex(char c) {
        return c > 'f' ? -1 : Character.digit(c, 16);
    }
}
