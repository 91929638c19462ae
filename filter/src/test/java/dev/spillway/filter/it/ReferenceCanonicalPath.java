package dev.spillway.filter.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a raw request path could mean to the most lenient server behind or beside the filter, written apart from the
 * filter's own code so the property test compares two independent readings. It errs towards finding a page: it
 * decodes percent-escapes until nothing changes (double encoding), drops {@code ;params}, reads {@code \} as
 * {@code /}, ends a segment at NUL, collapses empty segments, resolves dot segments, cuts trailing dots and spaces
 * from every segment (Windows), and folds case the way {@code String.regionMatches(true, ...)} does.
 */
final class ReferenceCanonicalPath {
    private ReferenceCanonicalPath() {
    }

    /** The canonical form of a raw, context-relative path ({@code /admin%2Fusers} → {@code /admin/users}). */
    static String of(String raw) {
        String s = raw;
        for (int round = 0; round < 8; round++) {
            String next = decodeOnce(withoutParams(s.replace('\\', '/'))).replace('\\', '/');
            if (next.equals(s)) {
                break;
            }
            s = next;
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String seg : s.split("/", -1)) {
            int nul = seg.indexOf('\0');
            if (nul >= 0) {
                seg = seg.substring(0, nul);
            }
            if (seg.equals("..")) {
                segments.pollLast();
                continue;
            }
            String trimmed = trimDotsAndSpaces(seg);
            if (!trimmed.isEmpty()) {
                segments.addLast(fold(trimmed));
            }
        }
        return "/" + String.join("/", segments);
    }

    /** Would a page list of deny {@code /admin/*} and stateful {@code /cart/*}, {@code *.do} keep this path here? */
    static boolean isDeniedOrStateful(String canonical) {
        int lastSlash = canonical.lastIndexOf('/');
        return under(canonical, "/admin") || under(canonical, "/cart")
                || canonical.substring(lastSlash + 1).endsWith(".do");
    }

    private static boolean under(String path, String base) {
        return path.equals(base) || path.startsWith(base + "/");
    }

    private static String withoutParams(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean inParam = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/') {
                inParam = false;
            } else if (c == ';') {
                inParam = true;
            }
            if (!inParam) {
                out.append(c);
            }
        }
        return out.toString();
    }

    // One round of %XX decoding as UTF-8 (malformed sequences become U+FFFD, as in the JDK and the containers).
    private static String decodeOnce(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String trimDotsAndSpaces(String seg) {
        int end = seg.length();
        while (end > 0 && (seg.charAt(end - 1) == '.' || seg.charAt(end - 1) == ' ')) {
            end--;
        }
        return seg.substring(0, end);
    }

    private static String fold(String seg) {
        StringBuilder out = new StringBuilder(seg.length());
        for (int i = 0; i < seg.length(); i++) {
            out.append(Character.toLowerCase(Character.toUpperCase(seg.charAt(i))));
        }
        return out.toString();
    }
}
