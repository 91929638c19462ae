package dev.spillway.filter.forward;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How the client framed its request body, judged before anything is forwarded. Ambiguous framing is how request
 * smuggling works (two parsers disagree on where the body ends), so it is refused with 400, never passed on:
 * Content-Length together with Transfer-Encoding, more than one Content-Length, a Content-Length that is not
 * plain digits (signed, spaced, a list), or a Transfer-Encoding other than a single {@code chunked}.
 */
final class RequestFraming {
    enum Kind { NONE, LENGTH, CHUNKED, INVALID }

    final Kind kind;
    final long length;
    final String problem;

    private RequestFraming(Kind kind, long length, String problem) {
        this.kind = kind;
        this.length = length;
        this.problem = problem;
    }

    boolean hasBody() {
        return kind == Kind.CHUNKED || (kind == Kind.LENGTH && length > 0);
    }

    static RequestFraming of(HttpServletRequest clientRequest) {
        List<String> cl = values(clientRequest, "Content-Length");
        List<String> te = values(clientRequest, "Transfer-Encoding");
        if (!cl.isEmpty() && !te.isEmpty()) {
            return invalid("both Content-Length and Transfer-Encoding");
        }
        if (!te.isEmpty()) {
            if (te.size() != 1 || !te.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked")) {
                return invalid("Transfer-Encoding other than a single 'chunked'");
            }
            return new RequestFraming(Kind.CHUNKED, -1, null);
        }
        if (cl.isEmpty()) {
            return new RequestFraming(Kind.NONE, 0, null);
        }
        if (cl.size() != 1) {
            return invalid("more than one Content-Length");
        }
        String v = cl.get(0);
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return invalid("Content-Length is not a plain number");
        }
        return new RequestFraming(Kind.LENGTH, Long.parseLong(v), null);
    }

    private static RequestFraming invalid(String why) {
        return new RequestFraming(Kind.INVALID, -1, why);
    }

    private static List<String> values(HttpServletRequest r, String name) {
        List<String> out = new ArrayList<>(1);
        for (String v : Collections.list(r.getHeaders(name))) {
            // A comma-separated list in one field counts as several values.
            for (String part : v.split(",", -1)) {
                out.add(part.trim());
            }
        }
        return out;
    }
}
