package dev.spillway.filter.cache;

import java.util.Locale;

/**
 * What the page cache reads from a response's {@code Cache-Control}: stored only when it says {@code public} and a
 * positive {@code max-age}, and says none of {@code private}, {@code no-store}, {@code no-cache}. Anything it cannot
 * read (a malformed max-age, a duplicate max-age) means "do not store".
 */
final class CacheControl {
    private CacheControl() {
    }

    /** Seconds the response may be served from the cache, or 0 when it must not be stored. */
    static long storableSeconds(String header) {
        if (header == null) {
            return 0;
        }
        boolean isPublic = false;
        long maxAge = -1;
        for (String part : header.split(",")) {
            String d = part.trim().toLowerCase(Locale.ROOT);
            if (d.equals("public")) {
                isPublic = true;
            } else if (d.equals("private") || d.startsWith("private=") || d.equals("no-store")
                    || d.equals("no-cache") || d.startsWith("no-cache=")) {
                return 0;
            } else if (d.startsWith("max-age=")) {
                if (maxAge >= 0) {
                    return 0; // two answers: believe neither
                }
                String v = d.substring("max-age=".length());
                if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(Character::isDigit)) {
                    return 0;
                }
                maxAge = Long.parseLong(v);
            }
        }
        return isPublic && maxAge > 0 ? maxAge : 0;
    }
}
