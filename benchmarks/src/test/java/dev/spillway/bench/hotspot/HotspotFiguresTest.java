package dev.spillway.bench.hotspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.bench.hotspot.HotspotBench.Options;
import dev.spillway.bench.hotspot.HotspotBench.Row;
import dev.spillway.bench.hotspot.HotspotBench.RowResult;
import dev.spillway.demo.Load;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotspotFiguresTest {
    private static final long MS = 1_000_000L;

    private static Load.Result page(String phase, String hit, String by, boolean redirected, long latencyMs) {
        return new Load.Result(phase, hit, Load.Kind.PAGE, 0, 0, latencyMs * MS, 200, by, redirected, null);
    }

    @Test
    void redirectRowCountsAClientRoundTripPerMovedPage() {
        List<Load.Result> rs = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            rs.add(page("b", "a", "a", false, 50));
        }
        for (int i = 0; i < 10; i++) {
            rs.add(page("b", "a", "b", true, 60));
        }
        rs.add(page("a", "a", "a", false, 9999));   // another row's result: not counted
        rs.add(new Load.Result("b", "a", Load.Kind.CART, 1, 0, MS, 200, "a", false, null));
        RowResult r = HotspotBench.figures(Row.REDIRECT, rs, 0, 1_000 * MS, null, null, List.of(5.0, 15.0),
                List.of(0.2, 0.4), "1 1 1", "2 2 2");
        assertEquals(100, r.pages());
        assertEquals(10, r.moved());
        assertEquals(10, r.redirected());
        assertEquals(0, r.proxied());
        assertEquals(0.10, r.extraHops(), 1e-9);
        assertEquals(10.0, r.movedPercent(), 1e-9);
        assertEquals(50, r.p50(), 1e-9);
        assertEquals(60, r.p99(), 1e-9);
        assertEquals(1, r.checkCalls());
        assertEquals(0, r.movedStateful());
        assertEquals(10.0, r.hotQueueDelayMillis(), 1e-9);
        assertEquals(0.3, r.hotFraction(), 1e-9);
        assertEquals(100, r.throughput(), 1e-9);   // 100 answered within the 1 s window
        assertEquals("90/10/0", r.servedShare());
    }

    @Test
    void proxyRowCountsAServerHopPerMovedPageAndHaproxyOneHopForEvery() {
        List<Load.Result> rs = List.of(page("c", "a", "b", false, 50), page("c", "a", "a", false, 50),
                page("d", HotspotBench.LB, "a", false, 50), page("d", HotspotBench.LB, "c", false, 50));
        RowResult proxy = HotspotBench.figures(Row.PROXY, rs, 0, 1_000 * MS, null, null, List.of(), List.of(), "-",
                "-");
        assertEquals(1, proxy.proxied());
        assertEquals(0.5, proxy.extraHops(), 1e-9);
        RowResult lb = HotspotBench.figures(Row.LEASTCONN, rs, 0, 1_000 * MS, null, null, List.of(), List.of(), "-",
                "-");
        assertEquals(0, lb.moved(), "through HAProxy nothing counts as moved by Spillway");
        assertEquals(1.0, lb.extraHops(), 1e-9);
        assertEquals("50/0/50", lb.servedShare());
    }

    @Test
    void goalsCompareP99s() {
        RowResult none = HotspotBench.figures(Row.NONE, List.of(page("a", "a", "a", false, 1000)), 0, MS, null,
                null, List.of(), List.of(), "-", "-");
        RowResult redirect = HotspotBench.figures(Row.REDIRECT, List.of(page("b", "a", "a", false, 100)), 0, MS,
                null, null, List.of(), List.of(), "-", "-");
        RowResult lc = HotspotBench.figures(Row.LEASTCONN, List.of(page("d", "lb", "a", false, 90)), 0, MS, null,
                null, List.of(), List.of(), "-", "-");
        List<String> goals = HotspotBench.goals(List.of(none, redirect, lc, RowResult.skipped(Row.PROXY, "x")));
        assertEquals(2, goals.size(), goals.toString());
        assertTrue(goals.get(0).endsWith("= 0.10x (goal <= 0.30x): met"), goals.get(0));
        assertTrue(goals.get(1).endsWith("= 1.11x (goal <= 1.25x): met"), goals.get(1));
    }

    @Test
    void optionsParseAndSmokeShortensRows() {
        Options o = Options.parse("--smoke", "--rows", "d,a", "--manager-flag=--hysteresis.leave=8", "--rate=150");
        assertEquals(List.of(Row.NONE, Row.LEASTCONN), o.rows());
        assertEquals(4, o.measureSeconds());
        assertEquals(2, o.warmupSeconds());
        assertEquals(List.of("--hysteresis.leave=8"), o.managerFlags());
        assertEquals(150, o.rate(), 1e-9);
        Options d = Options.parse();
        assertEquals(60, d.measureSeconds());
        assertEquals(400, d.totalCapacity(), 1e-9);
        assertThrows(dev.spillway.bench.report.Usage.class, () -> Options.parse("--rows", "f"));
        assertThrows(dev.spillway.bench.report.Usage.class, () -> Options.parse("--measure", "0"));
        assertThrows(dev.spillway.bench.report.Usage.class, () -> Options.parse("--manager-flag", "hysteresis.leave=8"));
    }
}
