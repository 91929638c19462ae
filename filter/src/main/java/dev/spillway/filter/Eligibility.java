package dev.spillway.filter;

import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.hop.HopMarkerReader;
import dev.spillway.filter.peers.ThisHost;
import dev.spillway.filter.rules.PageRules;
import dev.spillway.filter.rules.PathGuard;
import dev.spillway.filter.spi.LocalAnswer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * Decides whether a request may be moved at all (seed 003 c.9–13), before the directive decides whether it is.
 * Checks run cheapest first and stop at the first that fails; the answer says which one, for the counters and for
 * tests. Stateless apart from its immutable settings; allocates nothing unless a hop marker or a {@code Connection}
 * header is present.
 */
public final class Eligibility {
    /** The outcome; every value but {@link #ELIGIBLE} means "serve here". */
    public enum Verdict {
        ELIGIBLE,
        /** The method is not in {@code methods} (by default only GET and HEAD move). */
        METHOD,
        /** A protocol upgrade (WebSocket): an {@code Upgrade} header, or {@code upgrade} in {@code Connection}. */
        UPGRADE,
        /**
         * The request asks a framework to treat it as another method ({@code X-HTTP-Method-Override},
         * {@code X-HTTP-Method}, {@code X-Method-Override}, or a {@code _method} query parameter): a "GET" that may
         * act as a DELETE is not idempotent.
         */
        METHOD_OVERRIDE,
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
        SESSION,
        /** The webapp's {@link LocalAnswer} says this server answers it itself (a cache hit): never moved. */
        ANSWERED_LOCALLY
    }

    private final String[] methods;
    private final PageRules rules;
    private final boolean keepSessionsLocal;
    private final HopMarker hopMarker;
    private final ThisHost self;
    /** Null when the webapp configured none: then it costs one null check per eligible request. */
    private final LocalAnswer localAnswer;

    /** As the five-argument form with {@link ThisHost#UNKNOWN}: a marker issued for any peer is honoured. */
    public Eligibility(List<String> methods, PageRules rules, boolean keepSessionsLocal, HopMarker hopMarker) {
        this(methods, rules, keepSessionsLocal, hopMarker, ThisHost.UNKNOWN);
    }

    /** @param self this host's peer id ({@link FilterSettings#thisHost()}): only markers issued for it count */
    public Eligibility(List<String> methods, PageRules rules, boolean keepSessionsLocal, HopMarker hopMarker,
            ThisHost self) {
        this(methods, rules, keepSessionsLocal, hopMarker, self, null);
    }

    /** @param localAnswer the webapp's {@link LocalAnswer}, asked last, or null for none */
    public Eligibility(List<String> methods, PageRules rules, boolean keepSessionsLocal, HopMarker hopMarker,
            ThisHost self, LocalAnswer localAnswer) {
        this.localAnswer = localAnswer;
        this.methods = methods.toArray(new String[0]);
        this.rules = rules;
        this.keepSessionsLocal = keepSessionsLocal;
        this.hopMarker = hopMarker;
        this.self = self;
    }

    /**
     * @param checkedPath the container-decoded path, {@link #checkedPath(HttpServletRequest)}
     */
    public Verdict judge(HttpServletRequest request, String checkedPath) {
        if (!isMovableMethod(request.getMethod())) {
            return Verdict.METHOD;
        }
        if (RequestShape.isUpgrade(request)) {
            return Verdict.UPGRADE;
        }
        if (RequestShape.overridesMethod(request)) {
            return Verdict.METHOD_OVERRIDE;
        }
        if (HopMarkerReader.isValidlyMarked(request, hopMarker, self)) {
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
        // Very last: the webapp's own check may cost a cache lookup, and only a request that could move needs it.
        if (localAnswer != null && answeredLocally(request)) {
            return Verdict.ANSWERED_LOCALLY;
        }
        return Verdict.ELIGIBLE;
    }

    // The webapp's code must not make the filter throw: when it fails, serving here is the safe answer.
    private boolean answeredLocally(HttpServletRequest request) {
        try {
            return localAnswer.answersLocally(request);
        } catch (RuntimeException e) {
            return true;
        }
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
}
