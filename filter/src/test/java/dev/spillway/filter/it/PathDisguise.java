package dev.spillway.filter.it;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A page path and a list of disguises applied to it in order, producing the raw (context-relative) path a client
 * sends. Each disguise works at a position chosen by the generator (taken modulo what is there).
 */
record PathDisguise(String page, List<Step> steps) {
    enum Kind {
        ENCODE_CHAR, ENCODE_CHAR_LOWER_HEX, DOUBLE_ENCODE_CHAR, TRIPLE_ENCODE_CHAR, FLIP_CASE, DOT_SEGMENT,
        DOT_DOT_SEGMENT, TRIPLE_DOT_SEGMENT, DOUBLE_SLASH, PATH_PARAM, BACKSLASH, ENCODED_SLASH, ENCODED_BACKSLASH,
        ENCODED_DOT_SEGMENT, TRAILING_DOT, TRAILING_SPACE, TRAILING_SLASH, NUL, UNICODE_CASE_LOOKALIKE,
        OVERLONG_UTF8_DOT, FULLWIDTH_LETTER
    }

    record Step(Kind kind, int at) {
    }

    /** Letters whose Unicode case mapping meets an ASCII letter: dotless i, long s, Kelvin sign. */
    private static final String[][] LOOKALIKES = {{"i", "\u0131"}, {"I", "\u0130"}, {"s", "\u017F"}, {"k", "\u212A"}};

    /** The raw path to send after the context path. */
    String raw() {
        String s = page;
        for (Step step : steps) {
            s = apply(s, step);
        }
        return s;
    }

    private static String apply(String s, Step step) {
        if (s.indexOf('/') < 0) {
            s = "/" + s; // every slash was disguised away: start a new segment
        }
        int at = Math.floorMod(step.at(), s.length());
        switch (step.kind()) {
            case ENCODE_CHAR:
                return replaceChar(s, at, pct(s.charAt(at), true));
            case ENCODE_CHAR_LOWER_HEX:
                return replaceChar(s, at, pct(s.charAt(at), false));
            case DOUBLE_ENCODE_CHAR:
                return replaceChar(s, at, pct(s.charAt(at), true).replace("%", "%25"));
            case TRIPLE_ENCODE_CHAR:
                return replaceChar(s, at, pct(s.charAt(at), true).replace("%", "%2525"));
            case FLIP_CASE: {
                char c = s.charAt(at);
                char f = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                return replaceChar(s, at, String.valueOf(f));
            }
            case DOT_SEGMENT:
                return atSlash(s, step.at(), "/.");
            case DOT_DOT_SEGMENT:
                return atSlash(s, step.at(), "/zz/..");
            case TRIPLE_DOT_SEGMENT:
                return atSlash(s, step.at(), "/...");
            case DOUBLE_SLASH:
                return atSlash(s, step.at(), "/");
            case PATH_PARAM:
                return atSegmentEnd(s, step.at(), ";jsessionid=x");
            case BACKSLASH:
                return replaceSlash(s, step.at(), "\\");
            case ENCODED_SLASH:
                return replaceSlash(s, step.at(), step.at() % 2 == 0 ? "%2F" : "%2f");
            case ENCODED_BACKSLASH:
                return replaceSlash(s, step.at(), "%5C");
            case ENCODED_DOT_SEGMENT:
                return atSlash(s, step.at(), step.at() % 2 == 0 ? "/zz/%2e%2e" : "/%2E");
            case TRAILING_DOT:
                return atSegmentEnd(s, step.at(), ".");
            case TRAILING_SPACE:
                return atSegmentEnd(s, step.at(), "%20");
            case TRAILING_SLASH:
                return s + "/";
            case NUL:
                return atSegmentEnd(s, step.at(), "%00.html");
            case UNICODE_CASE_LOOKALIKE:
                for (String[] l : LOOKALIKES) {
                    int i = s.toLowerCase(Locale.ROOT).indexOf(l[0].toLowerCase(Locale.ROOT), at);
                    if (i >= 0 && Character.isLetter(s.charAt(i))) {
                        return s.substring(0, i) + utf8Pct(l[1]) + s.substring(i + 1);
                    }
                }
                return s;
            case OVERLONG_UTF8_DOT:
                return atSlash(s, step.at(), "/zz/%C0%AE%C0%AE");
            case FULLWIDTH_LETTER: {
                char c = s.charAt(at);
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                    return replaceChar(s, at, utf8Pct(String.valueOf((char) (c - 'A' + '\uFF21'))));
                }
                return s;
            }
            default:
                throw new AssertionError(step.kind());
        }
    }

    private static String replaceChar(String s, int at, String with) {
        return s.substring(0, at) + with + s.substring(at + 1);
    }

    // Inserts before the n-th '/' (n modulo the number of slashes).
    private static String atSlash(String s, int n, String insert) {
        int i = nthSlash(s, n);
        return s.substring(0, i) + insert + s.substring(i);
    }

    private static String replaceSlash(String s, int n, String with) {
        int i = nthSlash(s, n);
        return i == 0 ? s : s.substring(0, i) + with + s.substring(i + 1); // the leading '/' stays
    }

    // Appends to the segment that ends at the n-th '/' after the first, or to the last segment.
    private static String atSegmentEnd(String s, int n, String insert) {
        int k = Math.floorMod(n, slashCount(s));
        if (k == 0) {
            return s + insert;
        }
        int i = nthSlash(s, k);
        return s.substring(0, i) + insert + s.substring(i);
    }

    private static int slashCount(String s) {
        return (int) s.chars().filter(c -> c == '/').count();
    }

    private static int nthSlash(String s, int n) {
        int k = Math.floorMod(n, slashCount(s));
        int i = -1;
        for (int seen = -1; seen < k; seen++) {
            i = s.indexOf('/', i + 1);
        }
        return i;
    }

    private static String pct(char c, boolean upper) {
        String hex = utf8Pct(String.valueOf(c));
        return upper ? hex : hex.toLowerCase(Locale.ROOT);
    }

    private static String utf8Pct(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(String.format("%02X", b & 0xFF));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return page + " " + steps + " -> " + raw();
    }
}
