package dev.spillway.filter;

import dev.spillway.filter.rules.PageRules;
import dev.spillway.filter.rules.PathGuard;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * Decides whether a request may be moved at all (seed 003 c.9–13), before the directive decides whether it is.
 * Checks run cheapest first and stop at the first that fails; the answer says which one, for the counters and for
 * tests. Stateless apart from its immutable settings; allocates nothing unless a hop marker is present.
 */
public final class Eligibility {
    /** The outcome; every value but {@link #ELIGIBLE} means "serve here". */
    public enum Verdict {
        ELIGIBLE,
        /** The method is not in {@code methods} (by default only GET and HEAD move). */
        METHOD,
        /** The request carries a valid hop marker: it was moved here already and is never moved again. */
        HOP_MARKED,
        /** The raw URI has path parameters, encoded separators, dot segments or similar (see {@link PathGuard}). */
        RAW_URI,
        /** The decoded path is not canonical. */
        PATH,
        NOT_ALLOWED,
        DENIED,
        STATEFUL,
        /** The request carries a session id that is valid here: its session lives on this server. */
        SESSION
    }

    private static final String QUERY_MARK = HopMarker.QUERY_PARAM + "=";

    private final String[] methods;
    private final PageRules rules;
    private final boolean keepSessionsLocal;
    private final HopMarker hopMarker;

    public Eligibility(List<String> methods, PageRules rules, boolean keepSessionsLocal, HopMarker hopMarker) {
        this.methods = methods.toArray(new String[0]);
        this.rules = rules;
        this.keepSessionsLocal = keepSessionsLocal;
        this.hopMarker = hopMarker;
    }

    /**
     * @param checkedPath the container-decoded path, {@link #checkedPath(HttpServletRequest)}
     */
    public Verdict judge(HttpServletRequest request, String checkedPath) {
        if (!isMovableMethod(request.getMethod())) {
            return Verdict.METHOD;
        }
        if (carriesValidHopMarker(request, checkedPath)) {
            return Verdict.HOP_MARKED;
        }
        if (!PathGuard.rawUriIsPlain(request.getRequestURI())) {
            return Verdict.RAW_URI;
        }
        if (!PathGuard.decodedPathIsPlain(checkedPath)) {
            return Verdict.PATH;
        }
        switch (rules.judge(checkedPath)) {
            case DENIED:
                return Verdict.DENIED;
            case STATEFUL:
                return Verdict.STATEFUL;
            case NOT_ALLOWED:
                return Verdict.NOT_ALLOWED;
            default:
                break;
        }
        // Last, because asking whether a session id is valid may look the session up.
        if (keepSessionsLocal && request.getRequestedSessionId() != null && request.isRequestedSessionIdValid()) {
            return Verdict.SESSION;
        }
        return Verdict.ELIGIBLE;
    }

    /**
     * The path the rules judge and a move targets: {@code servletPath + pathInfo} as the container decoded and
     * normalised it, never the raw request URI.
     */
    public static String checkedPath(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        if (pathInfo == null) {
            return servletPath == null ? "" : servletPath;
        }
        return servletPath == null || servletPath.isEmpty() ? pathInfo : servletPath + pathInfo;
    }

    private boolean isMovableMethod(String method) {
        for (String m : methods) {
            if (m.equals(method)) {
                return true;
            }
        }
        return false;
    }

    // The marker rides in a header (proxied requests) or in the query (redirects). The query is scanned by hand:
    // getParameter() would read and consume a form body.
    private boolean carriesValidHopMarker(HttpServletRequest request, String checkedPath) {
        String header = request.getHeader(HopMarker.HEADER);
        if (header != null && hopMarker.verify(header, checkedPath)) {
            return true;
        }
        String query = request.getQueryString();
        if (query == null) {
            return false;
        }
        int at = query.indexOf(QUERY_MARK);
        while (at >= 0) {
            if (at == 0 || query.charAt(at - 1) == '&') {
                int start = at + QUERY_MARK.length();
                int end = query.indexOf('&', start);
                String token = query.substring(start, end < 0 ? query.length() : end);
                if (hopMarker.verify(token, checkedPath)) {
                    return true;
                }
            }
            at = query.indexOf(QUERY_MARK, at + 1);
        }
        return false;
    }
}
