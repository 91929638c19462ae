package dev.spillway.filter;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * Request features that make a GET or HEAD something other than a plain idempotent fetch, whatever its method
 * says: a protocol upgrade (the connection becomes a WebSocket, which neither a 307 nor the proxy carries), and a
 * method override, by which frameworks (Spring's HiddenHttpMethodFilter, Rails, Laravel, JAX-RS filters) run a
 * request as PUT or DELETE. Stateless; allocates only for a query that mentions "method".
 */
final class RequestShape {
    private static final String[] OVERRIDE_HEADERS = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"};
    private static final String PARAM = "_method";

    private RequestShape() {
    }

    /** An {@code Upgrade} header (any value), or an {@code upgrade} token in any {@code Connection} header. */
    static boolean isUpgrade(HttpServletRequest request) {
        if (request.getHeader("Upgrade") != null) {
            return true;
        }
        Enumeration<String> connection = request.getHeaders("Connection");
        while (connection != null && connection.hasMoreElements()) {
            for (String token : connection.nextElement().split(",")) {
                if (token.trim().equalsIgnoreCase("upgrade")) {
                    return true;
                }
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
     * True if the query, percent-decoded, contains {@code _method} in any case. Errs towards "yes" (a parameter
     * value containing the word also counts): a false match costs one request served here. Only the query is read:
     * {@code getParameter} would consume a form body.
     */
    static boolean mentionsMethodParameter(String query) {
        if (query == null || !(query.indexOf('%') >= 0 || containsIgnoringCase(query, PARAM))) {
            return false;
        }
        return containsIgnoringCase(percentDecodeAscii(query), PARAM);
    }

    // Decodes %XX escapes to their byte value as a char (one round, as parameter parsers do); the rest is kept.
    private static String percentDecodeAscii(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < n && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.append((char) (Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16)));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean containsIgnoringCase(String s, String word) {
        int last = s.length() - word.length();
        for (int i = 0; i <= last; i++) {
            if (s.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }
}
