package dev.spillway.bench.hotspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.bench.hotspot.HotspotBench.Goal;
import dev.spillway.bench.hotspot.HotspotBench.Options;
import dev.spillway.bench.hotspot.HotspotBench.Row;
import dev.spillway.bench.hotspot.HotspotBench.RowResult;
import dev.spillway.bench.report.Usage;
import dev.spillway.demo.Load;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HotspotFiguresTest {
    private static final long MS = 1_000_000L;
    private static final long TIMEOUT = 5_000 * MS;

    private static Load.Result page(String hit, String by, boolean redirected, long latencyMs) {
        return new Load.Result("row", hit, Load.Kind.PAGE, 0, 0, latencyMs * MS, 200, by, redirected, null);
    }

    private static RowResult figures(Shape shape, Row row, List<Load.Result> rs) {
        return HotspotBench.figures(shape, 1, row, rs, 0, TIMEOUT, "1.00 1.00 1.00", "2.00 2.00 2.00");
    }

    @Test
    void movedIsCountedPerServerTheRequestWasSentTo() {
        List<Load.Result> rs = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            rs.add(page("a", "a", false, 50));
        }
        for (int i = 0; i < 20; i++) {
            rs.add(page("a", i % 2 == 0 ? "b" : "c", true, 60));
        }
        for (int i = 0; i < 100; i++) {
            rs.add(page("b", "b", false, 40));
        }
        rs.add(new Load.Result("row", "a", Load.Kind.CART, 1, 0, MS, 200, "a", false, null));
        RowResult r = figures(Shape.EQUAL, Row.REDIRECT, rs);
        assertEquals(200, r.pages());
        assertEquals(20.0, r.movedPercent("a"), 1e-9);
        assertEquals(0.0, r.movedPercent("b"), 1e-9);
        assertTrue(Double.isNaN(r.movedPercent("c")), "no page was sent to c");
        assertEquals(10.0, r.movedPercent(), 1e-9);
        assertEquals(20, r.redirected());
        assertEquals(0.10, r.extraHops(), 1e-9, "a redirect costs the client one more round trip per moved page");
        assertEquals(40, r.p50(), 1e-9);
        assertEquals(60, r.p99(), 1e-9);
        assertEquals(1, r.checkCalls());
        assertEquals("40/55/5", r.servedShare());
    }

    @Test
    void aPageLaterThanTheTimeoutOrNeverAnsweredIsATimeoutCountedAtTheTimeout() {
        List<Load.Result> rs = new ArrayList<>();
        for (int i = 0; i < 97; i++) {
            rs.add(page("a", "a", false, 10));
        }
        rs.add(page("a", "a", false, 9_000));
        rs.add(new Load.Result("row", "a", Load.Kind.PAGE, 0, 0, 20 * MS, 502, "a", false, "status 502"));
        RowResult r = HotspotBench.figures(Shape.EQUAL, 1, Row.NONE, rs, 1, TIMEOUT, "-", "-");
        assertEquals(100, r.pages(), "the unanswered page counts");
        assertEquals(2, r.timeouts());
        assertEquals(1, r.errors());
        assertEquals(5_000, r.max(), 1e-9);
        assertEquals(10, r.p50(), 1e-9);
        assertEquals(5_000, r.p99(), 1e-9, "2% of the pages timed out");
    }

    @Test
    void throughHaproxyNothingCountsAsMovedAndEveryPageTakesAHop() {
        RowResult lb = figures(Shape.EQUAL, Row.LEASTCONN, List.of(page(HotspotBench.LB, "a", false, 50),
                page(HotspotBench.LB, "c", false, 50)));
        assertEquals(0, lb.moved());
        assertTrue(Double.isNaN(lb.movedPercent()));
        assertEquals(1.0, lb.extraHops(), 1e-9);
        assertEquals("50/0/50", lb.servedShare());
        RowResult proxy = figures(Shape.EQUAL, Row.PROXY, List.of(page("a", "b", false, 50),
                page("a", "a", false, 50)));
        assertEquals(1, proxy.proxied());
        assertEquals(0.5, proxy.extraHops(), 1e-9);
    }

    @Test
    void excessIsWhatAServerCannotServeOverTheWholeRow() {
        assertEquals(100 * 0.26 / 1.26, Shape.EQUAL.excessPercent("a"), 1e-9);
        assertEquals(0, Shape.EQUAL.excessPercent("b"), 1e-9);
        // The step: 0.5 then 1.5 of capacity; 0.5 of the 2.0 offered is excess.
        assertEquals(25, Shape.STEP.excessPercent("a"), 1e-9);
        assertEquals(0, Shape.EVEN.excessPercent("a"), 1e-9);
    }

    @Test
    void goalsCompareWithLeastconnAndLimitMoves() {
        List<Load.Result> hot = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            hot.add(page("a", i < 30 ? "b" : "a", true, 100));   // a moved 50%: far above its 21% excess + 5
        }
        RowResult redirect = figures(Shape.EQUAL, Row.REDIRECT, hot);
        RowResult lc = figures(Shape.EQUAL, Row.LEASTCONN, List.of(page(HotspotBench.LB, "a", false, 90)));
        RowResult proxy = figures(Shape.EQUAL, Row.PROXY, List.of(page("a", "a", false, 80)));
        List<Goal> goals = HotspotBench.goals(List.of(redirect, proxy, lc));
        Map<Row, List<Goal>> by = Map.of(Row.REDIRECT, goals.stream().filter(g -> g.row() == Row.REDIRECT).toList(),
                Row.PROXY, goals.stream().filter(g -> g.row() == Row.PROXY).toList());
        assertEquals(4, by.get(Row.REDIRECT).size(), goals.toString());
        assertFalse(by.get(Row.REDIRECT).get(0).met(), "p99 100 > leastconn's 90");
        assertTrue(by.get(Row.REDIRECT).get(1).met(), "1.11x is within 1.25x");
        assertTrue(by.get(Row.REDIRECT).get(2).met(), "no errors");
        assertFalse(by.get(Row.REDIRECT).get(3).met(), by.get(Row.REDIRECT).get(3).line());
        assertTrue(by.get(Row.PROXY).stream().allMatch(Goal::met), by.get(Row.PROXY).toString());
        assertTrue(by.get(Row.PROXY).get(0).line().contains("= 0.89x HAProxy leastconn's"),
                by.get(Row.PROXY).get(0).line());
    }

    @Test
    void nothingToGainComparesWithNoOffloading() {
        RowResult none = figures(Shape.EVEN, Row.NONE, List.of(page("a", "a", false, 100)));
        List<Load.Result> rs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rs.add(page("a", i == 0 ? "b" : "a", true, 104));
        }
        List<Goal> goals = HotspotBench.goals(List.of(none, figures(Shape.EVEN, Row.REDIRECT, rs)));
        assertEquals(2, goals.size(), goals.toString());
        assertTrue(goals.get(0).met(), goals.get(0).line());
        assertFalse(goals.get(1).met(), "10% moved > 5%: " + goals.get(1).line());
    }

    @Test
    void optionsParseAndSmokeShortensTheRun() {
        Options o = Options.parse("--smoke", "--rows", "d,a");
        assertEquals(List.of(Row.NONE, Row.LEASTCONN), o.rows());
        assertEquals(List.of(Shape.EQUAL), o.shapes());
        assertEquals(3, o.seconds());
        Options d = Options.parse("--shape=all", "--seconds", "30");
        assertEquals(Shape.values(), d.shapes());
        assertEquals(30, d.seconds());
        assertEquals(5, d.timeoutSeconds());
        assertEquals(List.of(Shape.EVEN, Shape.EQUAL), Options.parse("--shape", "5,1").shapes());
        Usage bad = assertThrows(Usage.class, () -> Options.parse("--shape", "6"));
        assertTrue(bad.getMessage().contains("'6' is not a shape"), bad.getMessage());
        assertThrows(Usage.class, () -> Options.parse("--rows", "e"));
        assertThrows(Usage.class, () -> Options.parse("--seconds", "1"));
    }

    @Test
    void theLoadRunsOnAFreshClientUnlessTheWarmUpsIsAskedFor() {
        assertFalse(Options.parse("--shape", "1").warmClient(), "by default the load opens its own connections");
        assertTrue(Options.parse("--shape", "1", "--warm-client").warmClient());
        assertTrue(Options.parse("--warm-client", "--smoke").smoke(), "a flag: it takes no value");
    }

    @Test
    void anUncountedRowWarmsTheLoadClientUnlessSkippedOrASmokeRun() {
        assertTrue(Options.parse("--shape", "1").clientWarmupRow(), "by default the load client is warmed first");
        assertFalse(Options.parse("--shape", "1", "--no-client-warmup-row").clientWarmupRow());
        assertFalse(Options.parse("--smoke").clientWarmupRow(), "a smoke run proves the program works, quickly");
    }

    @Test
    void filterVariantsGiveEachSpillwayRowItsSettingsOnTopOfTheCommonOnes() {
        Options o = Options.parse("--filter-set", "hopTtl=10s", "--variants", "spillReserve=0;spillReserve=5%,spillWaiting=1");
        assertEquals(List.of(o.filterSet()), o.variantsOf(Row.LEASTCONN), "rows without Spillway run once");
        List<FilterVariant> v = o.variantsOf(Row.REDIRECT);
        assertEquals(2, v.size());
        assertEquals("hopTtl=10s, spillReserve=0", v.get(0).label());
        assertEquals("hopTtl=10s, spillReserve=5%, spillWaiting=1", v.get(1).label());
        assertEquals("2", v.get(1).suffix());
        assertTrue(v.get(1).fileLines().contains("spillReserve = 5%\n"), v.get(1).fileLines());
        RowResult r = figures(Shape.EQUAL, Row.REDIRECT, List.of(page("a", "a", false, 10))).with(v.get(1));
        assertEquals("(b2) Spillway redirect [hopTtl=10s, spillReserve=5%, spillWaiting=1]", r.title());
        Usage one = assertThrows(Usage.class, () -> Options.parse("--variants", "spillReserve=1"));
        assertTrue(one.getMessage().contains("--variants"), one.getMessage());
        Usage bad = assertThrows(Usage.class, () -> Options.parse("--filter-set", "spillReserve"));
        assertTrue(bad.getMessage().contains("key=value"), bad.getMessage());
    }

    @Test
    void theCpuShapeWarmsUpForItsOwnTimeUnlessTold() {
        Options d = Options.parse("--shape=all");
        assertEquals(Shape.CPU_WARMUP_SECONDS, d.warmup(Shape.CPU), "the JIT's settling time under the quota");
        assertEquals(5, d.warmup(Shape.EQUAL));
        Options cold = Options.parse("--shape=all", "--warmup", "5");
        assertEquals(5, cold.warmup(Shape.CPU));
        assertEquals(5, cold.warmup(Shape.EVEN));
        assertEquals(1, Options.parse("--smoke").warmup(Shape.EQUAL));
    }

    @Test
    void aCustomShapeNamesItsServersWorkersPageAndShares() {
        Shape s = Shape.custom("--custom", "servers=a:40,b:40,c:40,d:40; page-ms=50; load=a:1.3,b:50%,c:0.5,d:0.5;"
                + " title=four of 40", 6);
        assertEquals(List.of("a", "b", "c", "d"), s.ids());
        assertEquals(800, s.capacity("a"), 1e-9, "40 workers / 50 ms");
        assertEquals(0.5, s.share("b", true), 1e-9, "130%-style and 0.5-style shares; no step: same in both halves");
        assertEquals(100 * 0.3 / 1.3, s.excessPercent("a"), 1e-9);
        assertEquals(0, s.excessPercent("d"), 1e-9);
        assertTrue(Double.isNaN(s.excessPercent("e")), "no such server");
        assertFalse(s.nothingToGain);
        assertEquals("shape 6: four of 40", s.label());
        assertEquals("/slow?ms=50", Options.parse().page(s));
        Shape two = Shape.custom("--custom", "servers=a:10,b:30; page-ms=500; load=a:1.2,b:0.4", 7);
        assertEquals(20, two.capacity("a"), 1e-9, "10 workers / 500 ms");
        assertEquals(60, two.capacity("b"), 1e-9);
    }

    @Test
    void aCustomStepCountsTheExcessOfEachHalfAndAShapeWithoutOverloadHasNothingToGain() {
        Shape step = Shape.custom("--custom", "servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:0.5,b:0.5,c:0.5,d:0.5;"
                + " after=a:1.5,b:1.2,c:0.5,d:0.5", 6);
        assertEquals(25, step.excessPercent("a"), 1e-9, "0.5 of the 2.0 offered");
        assertEquals(100 * 0.2 / 1.7, step.excessPercent("b"), 1e-9);
        assertEquals(1.2, step.share("b", true), 1e-9);
        assertEquals(0.5, step.share("b", false), 1e-9);
        assertFalse(step.nothingToGain);
        Shape calm = Shape.custom("--custom", "servers=a:20,b:20; page-ms=100; load=a:0.9,b:100%", 6);
        assertTrue(calm.nothingToGain, "at capacity is not above it");
        assertEquals(0, Shape.custom("--custom", "servers=a:20,b:20; page-ms=100; load=a:0,b:0.5", 6)
                .excessPercent("a"), 1e-9, "a server without load has no excess");
    }

    @Test
    void goalsOfACustomShapeCoverEveryOneOfItsServers() {
        Shape s = Shape.custom("--custom", "servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:1.2,b:1.2,c:0.4,d:0.4", 6);
        List<Load.Result> rs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rs.add(page("a", i < 20 ? "c" : "a", true, 100));  // a moved 20%: within 16.7% + 5
            rs.add(page("b", i < 30 ? "d" : "b", true, 100));  // b moved 30%: above 16.7% + 5
        }
        RowResult r = figures(s, Row.REDIRECT, rs);
        assertEquals("20.0/30.0/-/-", r.movedShare());
        assertEquals("40/35/10/15", r.servedShare());
        List<Goal> goals = HotspotBench.goals(List.of(r, figures(s, Row.LEASTCONN,
                List.of(page(HotspotBench.LB, "a", false, 100)))));
        Goal moved = goals.get(goals.size() - 1);
        assertFalse(moved.met(), moved.line());
        assertTrue(moved.line().contains("b 30.0% (<= 21.7%)"), moved.line());
        assertTrue(moved.line().contains("d -%"), moved.line());
    }

    @Test
    void customOptionRunsOnlyItsShapesUnlessPresetsAreAskedFor() {
        Options only = Options.parse("--custom", "servers=a:20,b:20; page-ms=100; load=a:1.3,b:0.4",
                "--custom", "servers=x:10,y:10,z:10; page-ms=20; load=x:1.2,y:0.4,z:0.4");
        assertEquals(2, only.shapes().size());
        assertEquals(6, only.shapes().get(0).number);
        assertEquals(List.of("x", "y", "z"), only.shapes().get(1).ids());
        assertEquals(7, only.shapes().get(1).number);
        Options both = Options.parse("--shape", "1", "--custom", "servers=a:20,b:20; page-ms=100; load=a:1.3,b:0.4");
        assertEquals(Shape.EQUAL, both.shapes().get(0));
        assertEquals(2, both.shapes().size());
    }

    @Test
    void aBadCustomShapeIsRefusedNamingWhatIsWrong() {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("servers=a:20; page-ms=100; load=a:1.3", "servers: 1 given; expected 2 to 6");
        bad.put("servers=a:1,b:1,c:1,d:1,e:1,f:1,g:1; page-ms=100; load=a:1,b:1,c:1,d:1,e:1,f:1,g:1",
                "servers: 7 given; expected 2 to 6");
        bad.put("servers=a:20,b:0; page-ms=100; load=a:1,b:1", "b's workers: '0' is not a whole number from 1 to 400");
        bad.put("servers=a:20,A:20; page-ms=100; load=a:1,A:1", "'A' is not a server id");
        bad.put("servers=a:20,lb:20; page-ms=100; load=a:1,lb:1", "'lb' is not a server id");
        bad.put("servers=a:20,a:20; page-ms=100; load=a:1", "'a' is given twice");
        bad.put("servers=a:20,b; page-ms=100; load=a:1,b:1", "'b' is not ID:VALUE");
        bad.put("servers=a:20,b:20; load=a:1,b:1", "'page-ms=' is missing");
        bad.put("servers=a:20,b:20; page-ms=fast; load=a:1,b:1", "page-ms: 'fast' is not a whole number");
        bad.put("servers=a:20,b:20; page-ms=100; load=a:1.3", "server 'b' has no share");
        bad.put("servers=a:20,b:20; page-ms=100; load=a:1.3,b:0.4,c:0.4", "'c' is not one of the servers [a, b]");
        bad.put("servers=a:20,b:20; page-ms=100; load=a:4,b:0.4", "a's share: '4' is not a number from 0.0 to 3.0");
        bad.put("servers=a:20,b:20; page-ms=100; load=a:-10%,b:0.4", "a's share: '-10' is not a number from 0.0 to 300");
        bad.put("servers=a:20,b:20; page-ms=100; load=a:1,b:1; after=a:2", "after: server 'b' has no share");
        bad.put("servers=a:20,b:20; page-ms=100; load=a:1,b:1; speed=3", "unknown part 'speed'");
        bad.put("servers=a:20,b:20; page-ms=100; load=a:1,b:1; load=a:1,b:1", "'load' is given twice");
        bad.put("servers a:20", "'servers a:20' is not key=value");
        bad.forEach((spec, expected) -> {
            Usage u = assertThrows(Usage.class, () -> Options.parse("--custom", spec), spec);
            assertTrue(u.getMessage().startsWith("--custom: ") && u.getMessage().contains(expected),
                    spec + " -> " + u.getMessage());
        });
    }

    private static Load.Result due(String hit, String by, long dueMs, long latencyMs) {
        return new Load.Result("row", hit, Load.Kind.PAGE, 0, dueMs * MS, latencyMs * MS, 200, by, !hit.equals(by),
                null);
    }

    @Test
    void p99PerServerCountsAPageWhereItWasSentOrThroughHaproxyWhereItWasServed() {
        List<Load.Result> rs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rs.add(due("a", i < 20 ? "b" : "a", i * 10, 400));   // a's users wait, also for what b served
            rs.add(due("b", "b", i * 10, 100));
        }
        RowResult redirect = figures(Shape.EQUAL, Row.REDIRECT, rs);
        assertEquals(400, redirect.tail().p99ById().get("a"), 1e-9);
        assertEquals(100, redirect.tail().p99ById().get("b"), 1e-9, "b's own users are not charged a's moved pages");
        assertTrue(Double.isNaN(redirect.tail().p99ById().get("c")), "no page was sent to c");
        assertEquals("400/100/-", redirect.tail().perServer(Shape.EQUAL));

        RowResult lc = figures(Shape.EQUAL, Row.LEASTCONN, List.of(due(HotspotBench.LB, "c", 0, 70),
                due(HotspotBench.LB, "a", 10, 20)));
        assertEquals(70, lc.tail().p99ById().get("c"), 1e-9);
        assertEquals(20, lc.tail().p99ById().get("a"), 1e-9);
    }

    @Test
    void theLastQuarterSaysWhetherTheTailRecoveredByTheEndOfTheRow() {
        List<Load.Result> recovered = new ArrayList<>();
        List<Load.Result> lasting = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            recovered.add(due("a", "a", i * 200, i < 50 ? 900 : 110));   // due over 20 s; slow only in the first half
            lasting.add(due("a", "a", i * 200, i < 90 ? 110 : 900));     // slow in its last two seconds
        }
        RowResult r = figures(Shape.EQUAL, Row.REDIRECT, recovered);
        assertEquals(900, r.p99(), 1e-9);
        assertEquals(110, r.tail().p99LastQuarter(), 1e-9, "the pages due from 15 s on were all fast");
        assertEquals(900, figures(Shape.EQUAL, Row.REDIRECT, lasting).tail().p99LastQuarter(), 1e-9);
    }

    @Test
    void aTimedOutPageCountsAtTheTimeoutInTheTailFiguresToo() {
        RowResult r = figures(Shape.EQUAL, Row.NONE, List.of(due("a", "a", 0, 9_000), due("a", "a", 100, 9_000)));
        assertEquals(5_000, r.tail().p99ById().get("a"), 1e-9);
        assertEquals(5_000, r.tail().p99LastQuarter(), 1e-9);
    }

    @Test
    void aClientStallLongerThanTheMarkIsWarnedAboutAndShortOnesAreNot() {
        ClientStalls quiet = ClientStalls.recorder();
        quiet.wokeLate(2 * MS);
        quiet.wokeLate(99 * MS);
        RowResult r = figures(Shape.EQUAL, Row.REDIRECT, List.of(due("a", "a", 0, 50)));
        assertEquals(null, HotspotBench.clientWarning(r.with(quiet)), "99 ms is within the mark");
        assertEquals(99, r.with(quiet).clientWorstMs(), 1e-9);

        ClientStalls busy = ClientStalls.recorder();
        busy.wokeLate(3 * MS);
        busy.wokeLate(250 * MS);
        busy.wokeLate(120 * MS);
        String warning = HotspotBench.clientWarning(r.with(busy));
        assertTrue(warning != null && warning.startsWith("WARNING shape 1 (b) Spillway redirect")
                && warning.contains("2 time(s)") && warning.contains("worst 250 ms"), warning);
        assertEquals(null, HotspotBench.clientWarning(RowResult.skipped(Shape.EQUAL, 1, Row.LEASTCONN, "no haproxy")));
    }

    @Test
    void aStepDownStopsTheFirstHalfsExtraAtTheMiddleAndAStepUpAddsItsOwn() {
        Shape down = Shape.custom("--custom", "servers=a:20,b:20; page-ms=100; load=a:150%,b:50%; after=a:50%,b:50%",
                6);
        Map<String, Double> cap = Map.of("a", 200.0, "b", 200.0);
        assertEquals(Map.of("a", 100.0, "b", 100.0), HotspotBench.steady(down, cap), "all row: the lower half");
        assertEquals(Map.of("a", 200.0, "b", 0.0), HotspotBench.stepDown(down, cap), "a's extra, first half only");
        assertEquals(Map.of("a", 0.0, "b", 0.0), HotspotBench.stepUp(down, cap));
        assertEquals(300, HotspotBench.offered(down, cap), 1e-9, "(300 + 100) then (100 + 100): a mean of 300/s");

        Map<String, Double> preset = Map.of("a", 200.0, "b", 200.0, "c", 200.0);
        assertEquals(100, HotspotBench.steady(Shape.STEP, preset).get("a"), 1e-9, "a at 50% all row");
        assertEquals(0, HotspotBench.stepDown(Shape.STEP, preset).get("a"), 1e-9);
        assertEquals(200, HotspotBench.stepUp(Shape.STEP, preset).get("a"), 1e-9, "50% to 150% adds 100%");
        assertEquals(Map.of("a", 300.0, "b", 100.0), HotspotBench.steady(
                Shape.custom("--custom", "servers=a:20,b:20; page-ms=100; load=a:150%,b:50%", 7), cap),
                "no step: the whole load all row");
    }
}
