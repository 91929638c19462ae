package dev.spillway.filter.rules;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One page-rule entry, in servlet url-pattern syntax or as a regular expression:
 * <ul>
 *   <li>{@code /a/b} exact;</li>
 *   <li>{@code /a/*} prefix: {@code /a}, {@code /a/} and everything below it;</li>
 *   <li>{@code /*} every path;</li>
 *   <li>{@code *.jsp} extension: a last segment ending in {@code .jsp};</li>
 *   <li>{@code regex:^/api/v\d+/.*} a Java regular expression that must match the whole path; {@code .} matches
 *       any character, line terminators included (DOTALL).</li>
 * </ul>
 * Patterns are matched against the container-decoded path ({@code servletPath + pathInfo}). Immutable.
 */
public abstract class UrlPattern {
    public static final String REGEX_PREFIX = "regex:";
    static final String EXPECTED = "a servlet url-pattern (/exact, /prefix/*, *.ext) or regex:<java regex>";

    private final String text;

    private UrlPattern(String text) {
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code entry} and what was expected
     */
    public static UrlPattern parse(String entry) {
        if (entry == null || entry.isEmpty()) {
            throw new IllegalArgumentException("an empty entry; expected " + EXPECTED);
        }
        if (entry.startsWith(REGEX_PREFIX)) {
            String body = entry.substring(REGEX_PREFIX.length());
            if (body.isEmpty()) {
                throw new IllegalArgumentException("'" + entry + "' has an empty regex; expected " + EXPECTED);
            }
            try {
                // DOTALL: '.' must match every character a decoded path can hold, line terminators included
                // (%0A, %C2%85, %E2%80%A8); without it regex:/admin/.* misses /admin/%E2%80%A8.
                return new Regex(entry, Pattern.compile(body, Pattern.DOTALL));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + entry + "' is not a valid regex ("
                        + e.getDescription() + " near index " + e.getIndex() + "); expected " + EXPECTED);
            }
        }
        if (entry.startsWith("*.")) {
            String ext = entry.substring(2);
            if (ext.isEmpty() || ext.indexOf('/') >= 0 || ext.indexOf('*') >= 0) {
                throw invalid(entry);
            }
            return new Extension(entry, "." + ext);
        }
        if (!entry.startsWith("/")) {
            throw invalid(entry);
        }
        if (entry.endsWith("/*")) {
            String base = entry.substring(0, entry.length() - 2);
            if (base.indexOf('*') >= 0) {
                throw invalid(entry);
            }
            return new Prefix(entry, base);
        }
        if (entry.indexOf('*') >= 0) {
            throw invalid(entry);
        }
        return new Exact(entry);
    }

    private static IllegalArgumentException invalid(String entry) {
        return new IllegalArgumentException("'" + entry + "' is not a url-pattern ('*' may only form /prefix/* or"
                + " *.ext); expected " + EXPECTED);
    }

    /** True if this pattern matches {@code path} exactly as given. */
    public abstract boolean matches(String path);

    /**
     * True if this pattern matches {@code path} ignoring ASCII case. Deny and stateful rules use this: they exist to
     * keep pages here, and on a case-insensitive file system or mapping {@code /Admin} may be {@code /admin}.
     */
    public abstract boolean matchesIgnoringCase(String path);

    @Override
    public String toString() {
        return text;
    }

    private static final class Exact extends UrlPattern {
        private final String path;

        Exact(String path) {
            super(path);
            this.path = path;
        }

        @Override
        public boolean matches(String p) {
            return path.equals(p);
        }

        @Override
        public boolean matchesIgnoringCase(String p) {
            return path.equalsIgnoreCase(p);
        }
    }

    private static final class Prefix extends UrlPattern {
        private final String base;

        Prefix(String text, String base) {
            super(text);
            this.base = base;
        }

        @Override
        public boolean matches(String p) {
            return p.startsWith(base) && (p.length() == base.length() || p.charAt(base.length()) == '/');
        }

        @Override
        public boolean matchesIgnoringCase(String p) {
            return p.regionMatches(true, 0, base, 0, base.length())
                    && (p.length() == base.length() || p.charAt(base.length()) == '/');
        }
    }

    private static final class Extension extends UrlPattern {
        private final String suffix;

        Extension(String text, String suffix) {
            super(text);
            this.suffix = suffix;
        }

        @Override
        public boolean matches(String p) {
            return p.endsWith(suffix) && p.lastIndexOf('/') < p.length() - suffix.length();
        }

        @Override
        public boolean matchesIgnoringCase(String p) {
            int start = p.length() - suffix.length();
            return start >= 0 && p.regionMatches(true, start, suffix, 0, suffix.length())
                    && p.lastIndexOf('/') < start;
        }
    }

    private static final class Regex extends UrlPattern {
        private final Pattern pattern;
        private final Pattern caseless;

        Regex(String text, Pattern pattern) {
            super(text);
            this.pattern = pattern;
            this.caseless = Pattern.compile(pattern.pattern(), pattern.flags() | Pattern.CASE_INSENSITIVE);
        }

        @Override
        public boolean matches(String p) {
            return pattern.matcher(p).matches();
        }

        @Override
        public boolean matchesIgnoringCase(String p) {
            return caseless.matcher(p).matches();
        }
    }
}
