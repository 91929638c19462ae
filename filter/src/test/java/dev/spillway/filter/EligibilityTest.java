package dev.spillway.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.filter.Eligibility.Verdict;
import dev.spillway.filter.rules.PageRules;
import dev.spillway.filter.rules.UrlPattern;
import dev.spillway.filter.testing.StubRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EligibilityTest {
    private final HopMarker marker = new HopMarker("0123456789abcdef".getBytes(StandardCharsets.UTF_8), 30_000,
            System::currentTimeMillis);
    private final PageRules rules = new PageRules(List.of(), List.of(UrlPattern.parse("/admin/*")),
            List.of(UrlPattern.parse("/cart/*")));
    private final Eligibility eligibility = new Eligibility(List.of("GET", "HEAD"), rules, true, marker);

    private Verdict judge(StubRequest r) {
        return eligibility.judge(r, Eligibility.checkedPath(r));
    }

    @Test
    void aPlainGetOfAnAllowedPageIsEligible() {
        assertEquals(Verdict.ELIGIBLE, judge(StubRequest.get("/catalog")));
    }

    @Test
    void onlyConfiguredMethodsMove() {
        StubRequest post = StubRequest.get("/catalog");
        post.method = "POST";
        assertEquals(Verdict.METHOD, judge(post));
        StubRequest lower = StubRequest.get("/catalog");
        lower.method = "get";
        assertEquals(Verdict.METHOD, judge(lower));
    }

    @Test
    void aValidHopMarkerInHeaderOrQueryKeepsTheRequestHere() {
        assertEquals(Verdict.HOP_MARKED, judge(StubRequest.get("/catalog").header("Spillway-Hop",
                marker.issue("/catalog"))));
        StubRequest q = StubRequest.get("/catalog");
        q.queryString = "a=1&spillway-hop=" + marker.issue("/catalog") + "&b=2";
        assertEquals(Verdict.HOP_MARKED, judge(q));
    }

    @Test
    void aForgedOrMisplacedMarkerIsIgnored() {
        assertEquals(Verdict.ELIGIBLE, judge(StubRequest.get("/catalog").header("Spillway-Hop", "99999999999999.AAAA")));
        assertEquals(Verdict.ELIGIBLE, judge(StubRequest.get("/catalog").header("Spillway-Hop",
                marker.issue("/other"))), "a marker for another page does not count");
        StubRequest q = StubRequest.get("/catalog");
        q.queryString = "xspillway-hop=" + marker.issue("/catalog");
        assertEquals(Verdict.ELIGIBLE, judge(q));
    }

    @Test
    void rawAndDecodedFormsAreBothChecked() {
        StubRequest raw = StubRequest.get("/catalog");
        raw.requestUri = "/catalog;jsessionid=1";
        assertEquals(Verdict.RAW_URI, judge(raw));
        StubRequest decoded = StubRequest.get("/catalog");
        decoded.requestUri = "/%2561dmin";
        decoded.servletPath = "/%61dmin";
        assertEquals(Verdict.PATH, judge(decoded));
    }

    @Test
    void pageListsApplyToServletPathPlusPathInfo() {
        StubRequest r = StubRequest.get("/admin/users");
        r.servletPath = "/admin";
        r.pathInfo = "/users";
        assertEquals(Verdict.DENIED, judge(r));
        StubRequest s = StubRequest.get("/cart/view");
        s.servletPath = "";
        s.pathInfo = "/cart/view";
        assertEquals(Verdict.STATEFUL, judge(s));
        StubRequest n = new StubRequest();
        n.requestUri = "/x";
        n.servletPath = "/x";
        PageRules allowOnly = new PageRules(List.of(UrlPattern.parse("/catalog/*")), List.of(), List.of());
        assertEquals(Verdict.NOT_ALLOWED, new Eligibility(List.of("GET"), allowOnly, true, marker).judge(n, "/x"));
    }

    @Test
    void aValidSessionKeepsTheRequestHereUnlessConfiguredOtherwise() {
        StubRequest r = StubRequest.get("/catalog");
        r.requestedSessionId = "ABC";
        r.sessionIdValid = true;
        assertEquals(Verdict.SESSION, judge(r));
        r.sessionIdValid = false;
        assertEquals(Verdict.ELIGIBLE, judge(r), "a stale session id is not a session here");
        r.sessionIdValid = true;
        assertEquals(Verdict.ELIGIBLE, new Eligibility(List.of("GET"), rules, false, marker).judge(r, "/catalog"));
    }
}
