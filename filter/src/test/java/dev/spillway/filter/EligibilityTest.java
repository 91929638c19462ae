package dev.spillway.filter;

import dev.spillway.filter.Eligibility.Verdict;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.hop.HopMarkerReader;
import dev.spillway.filter.peers.ThisHost;
import dev.spillway.filter.rules.PageRules;
import dev.spillway.filter.rules.UrlPattern;
import dev.spillway.filter.testing.StubRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private String markerFor(String method, String pathAndQuery) {
        return marker.issue("b", method, "http://10.0.0.2:8080" + pathAndQuery);
    }

    @Test
    void aValidHopMarkerInHeaderOrQueryKeepsTheRequestHere() {
        assertEquals(Verdict.HOP_MARKED, judge(StubRequest.get("/catalog").header("Spillway-Hop",
                markerFor("GET", "/catalog"))));
        StubRequest q = StubRequest.get("/catalog");
        q.queryString = "a=1&b=2&spillway-hop=" + markerFor("GET", "/catalog?a=1&b=2");
        assertEquals(Verdict.HOP_MARKED, judge(q));
        StubRequest first = StubRequest.get("/catalog");
        first.queryString = "spillway-hop=" + markerFor("GET", "/catalog?a=1") + "&a=1";
        assertEquals(Verdict.HOP_MARKED, judge(first), "wherever the parameter sits");
    }

    @Test
    void aForgedOrMisplacedMarkerIsIgnored() {
        assertEquals(Verdict.ELIGIBLE, judge(StubRequest.get("/catalog").header("Spillway-Hop", "99999999999999.AAAA")));
        assertEquals(Verdict.ELIGIBLE, judge(StubRequest.get("/catalog").header("Spillway-Hop",
                markerFor("GET", "/other"))), "a marker for another page does not count");
        StubRequest q = StubRequest.get("/catalog");
        q.queryString = "xspillway-hop=" + markerFor("GET", "/catalog?xspillway-hop=");
        assertEquals(Verdict.ELIGIBLE, judge(q));
    }

    @Test
    void aMarkerReplayedWithAnotherQueryMethodOrHostIsIgnored() {
        String token = markerFor("GET", "/catalog?page=1");
        StubRequest otherQuery = StubRequest.get("/catalog");
        otherQuery.queryString = "page=2&spillway-hop=" + token;
        assertEquals(Verdict.ELIGIBLE, judge(otherQuery));
        StubRequest extraParam = StubRequest.get("/catalog");
        extraParam.queryString = "page=1&spillway-hop=" + token + "&pin=me";
        assertEquals(Verdict.ELIGIBLE, judge(extraParam));
        StubRequest head = StubRequest.get("/catalog").header("Spillway-Hop", markerFor("GET", "/catalog"));
        head.method = "HEAD";
        assertEquals(Verdict.ELIGIBLE, judge(head));

        StubRequest onB = StubRequest.get("/catalog").header("Spillway-Hop", markerFor("GET", "/catalog"));
        Eligibility b = new Eligibility(List.of("GET", "HEAD"), rules, true, marker, ThisHost.named("b"));
        Eligibility c = new Eligibility(List.of("GET", "HEAD"), rules, true, marker, ThisHost.named("c"));
        assertEquals(Verdict.HOP_MARKED, b.judge(onB, "/catalog"));
        assertEquals(Verdict.ELIGIBLE, c.judge(onB, "/catalog"), "a marker for b pins nothing on c");
    }

    @Test
    void moreThanOneMarkerIsNoMarkerAndCostsNoSignature() {
        AtomicLong signatures = new AtomicLong();
        HopMarker counting = new HopMarker("0123456789abcdef".getBytes(StandardCharsets.UTF_8), 30_000,
                System::currentTimeMillis, signatures::incrementAndGet);
        Eligibility e = new Eligibility(List.of("GET", "HEAD"), rules, true, counting);
        String valid = counting.issue("b", "GET", "http://h/catalog");
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            query.append(i == 0 ? "" : "&").append("spillway-hop=").append(valid);
        }
        StubRequest stuffed = StubRequest.get("/catalog");
        stuffed.queryString = query.toString();
        signatures.set(0);
        assertEquals(Verdict.ELIGIBLE, e.judge(stuffed, "/catalog"));
        StubRequest both = StubRequest.get("/catalog").header("Spillway-Hop", valid);
        both.queryString = "spillway-hop=" + valid;
        assertEquals(Verdict.ELIGIBLE, e.judge(both, "/catalog"), "header and parameter: ambiguous, no marker");
        assertEquals(0, signatures.get());
        StubRequest one = StubRequest.get("/catalog");
        one.queryString = "spillway-hop=" + valid;
        assertEquals(Verdict.HOP_MARKED, e.judge(one, "/catalog"));
        assertEquals(1, signatures.get(), "one marker, one signature");
        // the in-band reader asked first (OffloadFilter does): the eligibility check reuses its verdict
        StubRequest asked = StubRequest.get("/catalog");
        asked.queryString = "spillway-hop=" + valid;
        signatures.set(0);
        assertEquals("b", HopMarkerReader.checked(asked, counting, ThisHost.UNKNOWN).target());
        assertEquals(Verdict.HOP_MARKED, e.judge(asked, "/catalog"));
        assertEquals(1, signatures.get(), "one request, one signature check");
    }

    @Test
    void upgradesAndMethodOverridesNeverMove() {
        assertEquals(Verdict.UPGRADE, judge(StubRequest.get("/catalog").header("Upgrade", "websocket")));
        assertEquals(Verdict.UPGRADE, judge(StubRequest.get("/catalog").header("Connection", "keep-alive, Upgrade")));
        assertEquals(Verdict.UPGRADE, judge(StubRequest.get("/catalog").header("Upgrade", "h2c, websocket")));
        // Java's HttpClient offers h2c on every plain-HTTP request; ignoring the offer (307, or an HTTP/1.1 answer
        // through the proxy) is what a server may always do, so it stays a plain fetch
        assertEquals(Verdict.ELIGIBLE, judge(StubRequest.get("/catalog").header("Connection", "Upgrade, HTTP2-Settings")
                .header("Upgrade", "h2c").header("HTTP2-Settings", "AAMAAABkAAQBAAAAAAIAAAAA")));
        for (String h : new String[] {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
            "x-http-method-override"}) {
            assertEquals(Verdict.METHOD_OVERRIDE, judge(StubRequest.get("/catalog").header(h, "DELETE")), h);
        }
        for (String q : new String[] {"_method=DELETE", "a=1&_method=put", "a=1&_METHOD=put", "%5Fmethod=DELETE",
            "%5fmethod=DELETE", "_%6Dethod=DELETE", "%5F%6D%65%74%68%6F%64=x", "a=%5F%4D%45THOD", "_method"}) {
            StubRequest r = StubRequest.get("/catalog");
            r.queryString = q;
            assertEquals(Verdict.METHOD_OVERRIDE, judge(r), q);
        }
        StubRequest plain = StubRequest.get("/catalog");
        plain.queryString = "method=card&x=%20";
        assertEquals(Verdict.ELIGIBLE, judge(plain), "a parameter merely named method is fine");
        assertEquals(Verdict.ELIGIBLE, judge(StubRequest.get("/catalog").header("Connection", "keep-alive")));
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
