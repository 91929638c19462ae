package dev.spillway.filter.rules;

import java.util.List;

/**
 * The allow, deny and stateful page lists (seed 003 c.9–13). A page may be moved only if it is allowed (an empty
 * allow list allows every page), not denied, and not stateful; deny and stateful win over allow.
 *
 * <p>Allow entries match the path exactly as decoded. Deny and stateful entries err on the side of keeping a page
 * here: they ignore ASCII case and also match the path with trailing dots and spaces cut from every segment and
 * trailing slashes removed (what a Windows file system or a lenient mapping would do), so {@code /Admin},
 * {@code /admin/}, {@code /admin.}, {@code /admin%20}, {@code /admin./users} and {@code /.../admin} are all caught by
 * {@code /admin/*}. A false match there costs one request served
 * locally; a missed one could move a page that must not move. Immutable and thread-safe.
 */
public final class PageRules {
    /** Why a path may or may not be moved, as far as the page lists are concerned. */
    public enum Verdict { MOVABLE, NOT_ALLOWED, DENIED, STATEFUL }

    public static final PageRules ALLOW_ALL = new PageRules(List.of(), List.of(), List.of());

    private final UrlPattern[] allow;
    private final UrlPattern[] deny;
    private final UrlPattern[] stateful;

    public PageRules(List<UrlPattern> allow, List<UrlPattern> deny, List<UrlPattern> stateful) {
        this.allow = allow.toArray(new UrlPattern[0]);
        this.deny = deny.toArray(new UrlPattern[0]);
        this.stateful = stateful.toArray(new UrlPattern[0]);
    }

    /** Judges a decoded, canonical path ({@link PathGuard#decodedPathIsPlain} already passed). */
    public Verdict judge(String path) {
        String trimmed = lenientForm(path);
        if (matchesAnyIgnoringCase(deny, path, trimmed)) {
            return Verdict.DENIED;
        }
        if (matchesAnyIgnoringCase(stateful, path, trimmed)) {
            return Verdict.STATEFUL;
        }
        if (allow.length > 0 && !matchesAny(allow, path)) {
            return Verdict.NOT_ALLOWED;
        }
        return Verdict.MOVABLE;
    }

    public List<UrlPattern> allow() {
        return List.of(allow);
    }

    public List<UrlPattern> deny() {
        return List.of(deny);
    }

    public List<UrlPattern> stateful() {
        return List.of(stateful);
    }

    private static boolean matchesAny(UrlPattern[] patterns, String path) {
        for (UrlPattern p : patterns) {
            if (p.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAnyIgnoringCase(UrlPattern[] patterns, String path, String trimmed) {
        for (UrlPattern p : patterns) {
            if (p.matchesIgnoringCase(path) || (trimmed != path && p.matchesIgnoringCase(trimmed))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The path with trailing dots and spaces cut from each segment, segments left empty by that dropped (Windows
     * reads {@code /.../admin} as {@code /admin}), and trailing slashes removed. Returns the same instance when there
     * is nothing to cut, so the common case allocates nothing.
     */
    static String lenientForm(String path) {
        if (!needsTrimming(path)) {
            return path;
        }
        StringBuilder sb = new StringBuilder(path.length());
        int n = path.length();
        int segmentStart = path.startsWith("/") ? 1 : 0;
        for (int i = segmentStart; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                int end = i;
                while (end > segmentStart && isTrimmed(path.charAt(end - 1))) {
                    end--;
                }
                if (end > segmentStart) {
                    sb.append('/').append(path, segmentStart, end);
                }
                segmentStart = i + 1;
            }
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    private static boolean needsTrimming(String path) {
        int n = path.length();
        for (int i = 1; i < n; i++) {
            if ((path.charAt(i) == '/' || i == n - 1) && (isTrimmed(path.charAt(i)) || isTrimmed(path.charAt(i - 1))
                    || (i == n - 1 && path.charAt(i) == '/'))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTrimmed(char c) {
        return c == '.' || c == ' ';
    }
}
