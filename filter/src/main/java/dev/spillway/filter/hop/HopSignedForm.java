package dev.spillway.filter.hop;

import java.nio.charset.StandardCharsets;

/**
 * The form of a raw path or query that a hop marker signs. The issuer signs the URL it sends, the receiver checks the
 * URL it got; in between a browser following a 307 may re-encode a character (WHATWG URL parsing turns {@code '}
 * in a query into {@code %27}) or change the case of an escape. So both sides compare a normal form: escapes of
 * printable ASCII that carries no meaning to path or query parsing are decoded, the rest upper-cased, and the same
 * characters left raw are encoded. Characters that do carry meaning ({@code % & = + # ; / ? \ .}, space, controls,
 * non-ASCII) keep their raw-versus-escaped distinction, so {@code a+b} and {@code a%2Bb}, {@code /a/../b} and
 * {@code /a/%2e%2e/b} stay different requests. Stateless.
 */
final class HopSignedForm {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final String MEANINGFUL = "%&=+#;/?\\.";

    private HopSignedForm() {
    }

    /** The normal form of {@code raw} (a raw path or query; null is the empty string). */
    static String of(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(raw.length() + 8);
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < n && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                int b = hex(raw.charAt(i + 1)) << 4 | hex(raw.charAt(i + 2));
                appendByte(out, b, true);
                i += 2;
            } else if (c < 0x80) {
                appendByte(out, c, false);
            } else {
                // Raw non-ASCII (a container may hand it over decoded): its UTF-8 bytes, escaped like any other.
                int cp = raw.codePointAt(i);
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    escape(out, b & 0xFF);
                }
                i += Character.charCount(cp) - 1;
            }
        }
        return out.toString();
    }

    private static void appendByte(StringBuilder out, int b, boolean wasEscaped) {
        boolean printable = b > 0x20 && b < 0x7F;
        boolean meaningful = MEANINGFUL.indexOf(b) >= 0;
        if (printable && !meaningful) {
            out.append((char) b); // escaped or not, the same to every parser
        } else if (wasEscaped || !printable) {
            escape(out, b);
        } else {
            out.append((char) b); // a raw meaningful character stays raw: it differs from its escape
        }
    }

    private static void escape(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }

    private static int hex(char c) {
        return Character.digit(c, 16) < 0 || c > 'f' ? -1 : Character.digit(c, 16);
    }
}
