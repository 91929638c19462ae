package dev.spillway.filter.hop;

import dev.spillway.filter.peers.ThisHost;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * Finds the one hop marker a request may carry and checks it. A moved request carries exactly one: the
 * {@value HopMarker#HEADER} header (proxy) or one {@code spillway-hop=} query parameter (redirect), never both,
 * because the forwarders drop every marker a client sent before adding their own. Anything else (two headers,
 * two parameters, a header and a parameter) is no marker at all: the request is judged like any other, and no HMAC
 * is computed for it, so a query stuffed with markers costs a scan, not a signature check each. Such a request may
 * then be moved; serving it here instead would let anyone pin requests on a busy host without a valid marker.
 */
public final class HopMarkerReader {
    private static final String QUERY_MARK = HopMarker.QUERY_PARAM + "=";

    private HopMarkerReader() {
    }

    /** Where the verdict on a request's marker is kept, so that it costs one signature check per request. */
    private static final String VERDICT = HopMarkerReader.class.getName() + ".verdict";

    /** A kept verdict: the mark (null: none valid), good only for the checker and host that reached it. */
    private record Verdict(HopMarker marker, ThisHost self, HopMarker.Mark mark) {
    }

    /** True if the request carries exactly one marker and it is valid for this host, method, path and query. */
    public static boolean isValidlyMarked(HttpServletRequest request, HopMarker marker, ThisHost self) {
        return checked(request, marker, self) != null;
    }

    /**
     * As {@link #read}, but a request's marker is checked once per checker and host: the in-band reader and the
     * eligibility check both ask, and each would otherwise compute the HMAC. A request that cannot carry a marker
     * costs no attribute.
     */
    public static HopMarker.Mark checked(HttpServletRequest request, HopMarker marker, ThisHost self) {
        if (!mayBeMarked(request)) {
            return null;
        }
        if (request.getAttribute(VERDICT) instanceof Verdict v && v.marker() == marker && v.self() == self) {
            return v.mark();
        }
        HopMarker.Mark mark = read(request, marker, self);
        request.setAttribute(VERDICT, new Verdict(marker, self, mark));
        return mark;
    }

    /**
     * Cheap test for the request path: true if the request may carry a marker (a {@value HopMarker#HEADER} header,
     * or the marker parameter somewhere in the query). Checks no signature and allocates nothing.
     */
    public static boolean mayBeMarked(HttpServletRequest request) {
        if (request.getHeader(HopMarker.HEADER) != null) {
            return true;
        }
        String query = request.getQueryString();
        return query != null && query.contains(QUERY_MARK);
    }

    /**
     * The request's one marker, checked, or null if it has none, more than one, or an invalid one. The mark's
     * {@link HopMarker.Mark#proxied()} is true only if the token was issued for a proxied request and arrived in the
     * header, where only a proxying Spillway filter puts it.
     */
    public static HopMarker.Mark read(HttpServletRequest request, HopMarker marker, ThisHost self) {
        String header = null;
        Enumeration<String> headers = request.getHeaders(HopMarker.HEADER);
        while (headers != null && headers.hasMoreElements()) {
            if (header != null) {
                return null;
            }
            header = headers.nextElement();
        }
        String query = request.getQueryString();
        int at = markerParam(query, 0);
        if (at < 0) {
            return header == null ? null
                    : marker.read(header, self, request.getMethod(), request.getRequestURI(), query);
        }
        int end = query.indexOf('&', at);
        if (header != null || (end >= 0 && markerParam(query, end) >= 0)) {
            return null;
        }
        String token = query.substring(at + QUERY_MARK.length(), end < 0 ? query.length() : end);
        HopMarker.Mark mark = marker.read(token, self, request.getMethod(), request.getRequestURI(),
                withoutParam(query, at, end));
        // A proxied request's token copied into a query is a client's doing: no spare-capacity answer for it.
        return mark == null || !mark.proxied() ? mark : new HopMarker.Mark(mark.origin(), mark.target(), false, mark.signature());
    }

    /** Where the first {@code spillway-hop=} parameter at or after {@code from} starts, or -1. */
    private static int markerParam(String query, int from) {
        if (query == null) {
            return -1;
        }
        int at = query.indexOf(QUERY_MARK, from);
        while (at > 0 && query.charAt(at - 1) != '&') {
            at = query.indexOf(QUERY_MARK, at + 1);
        }
        return at;
    }

    // The query as the issuer signed it: the marker parameter and the '&' that joined it removed.
    private static String withoutParam(String query, int at, int end) {
        if (end < 0) {
            return at == 0 ? "" : query.substring(0, at - 1);
        }
        return query.substring(0, at) + query.substring(end + 1);
    }
}
