package dev.spillway.filter.rules;

/**
 * Refuses requests whose URI could mean one page to this filter and another to a container or peer. Such a request
 * is never moved: it is served here, where the container's own checks apply. Both forms are checked:
 * <ul>
 *   <li>the raw request target ({@code getRequestURI()}, still percent-encoded): path parameters ({@code ;}),
 *       encoded dot, slash, backslash or NUL ({@code %2e %2f %5c %00}), IIS-style {@code %u}, a backslash, an empty
 *       segment ({@code //}) and dot segments ({@code /./}, {@code /../});</li>
 *   <li>the decoded path the rules judge: anything but a plain, canonical, printable path, including a {@code %}
 *       left over from double encoding ({@code %2561} decodes to {@code %61}).</li>
 * </ul>
 * Stateless and allocation-free.
 */
public final class PathGuard {
    private PathGuard() {
    }

    /** True if the raw, undecoded request URI is plain enough to move. */
    public static boolean rawUriIsPlain(String rawUri) {
        if (rawUri == null || rawUri.isEmpty() || rawUri.charAt(0) != '/') {
            return false;
        }
        int n = rawUri.length();
        for (int i = 0; i < n; i++) {
            char c = rawUri.charAt(i);
            if (c == ';' || c == '\\' || c < 0x21 || c == 0x7f) {
                return false;
            }
            if (c == '%' && isDangerousEscape(rawUri, i + 1)) {
                return false;
            }
            if (c == '/' && i + 1 < n) {
                char next = rawUri.charAt(i + 1);
                if (next == '/' || (next == '.' && isDotSegment(rawUri, i + 1))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True if the decoded path is canonical: starts with '/', no empty or dot segment, no '\', '%', ';' or control. */
    public static boolean decodedPathIsPlain(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        int n = path.length();
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == '\\' || c == '%' || c == ';' || c < 0x20 || c == 0x7f) {
                return false;
            }
            if (c == '/' && i + 1 < n) {
                char next = path.charAt(i + 1);
                if (next == '/' || (next == '.' && isDotSegment(path, i + 1))) {
                    return false;
                }
            }
        }
        return true;
    }

    // "%2e", "%2f", "%5c", "%00" in any case, and "%u" (IIS %uXXXX).
    private static boolean isDangerousEscape(String s, int at) {
        if (at >= s.length()) {
            return true; // a dangling '%' is malformed; never move it
        }
        char a = s.charAt(at);
        if (a == 'u' || a == 'U') {
            return true;
        }
        if (at + 1 >= s.length()) {
            return true;
        }
        char b = Character.toLowerCase(s.charAt(at + 1));
        return (a == '2' && (b == 'e' || b == 'f')) || (a == '5' && b == 'c') || (a == '0' && b == '0');
    }

    // Is the segment starting at 'at' (just after a '/') "." or ".." (up to the next '/', '?', or the end)?
    private static boolean isDotSegment(String s, int at) {
        int end = at;
        while (end < s.length() && s.charAt(end) != '/' && s.charAt(end) != '?') {
            end++;
        }
        int len = end - at;
        return (len == 1) || (len == 2 && s.charAt(at + 1) == '.');
    }
}
