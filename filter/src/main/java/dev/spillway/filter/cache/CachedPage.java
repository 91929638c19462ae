package dev.spillway.filter.cache;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stored response: its headers and body, when it goes stale, and the request headers it varies on with the
 * values they had ({@code Vary}); it answers only a request with the same values.
 */
record CachedPage(Map<String, List<String>> headers, String contentType, byte[] body, long storedNanos, long staleNanos,
                  Map<String, String> varyValues) {

    boolean freshAt(long nowNanos) {
        return nowNanos - staleNanos < 0;
    }

    boolean matches(HttpServletRequest request) {
        for (Map.Entry<String, String> v : varyValues.entrySet()) {
            if (!Objects.equals(v.getValue(), joined(request, v.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** All values of a request header, in order, as one string (null when absent). */
    static String joined(HttpServletRequest request, String name) {
        java.util.Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        StringBuilder out = new StringBuilder(values.nextElement());
        while (values.hasMoreElements()) {
            out.append(", ").append(values.nextElement());
        }
        return out.toString();
    }

    int size() {
        int n = body.length + 64;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            n += h.getKey().length() + h.getValue().stream().mapToInt(String::length).sum();
        }
        return n;
    }
}
