package dev.spillway.bench.reaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.bench.reaction.Analysis.Figures;
import dev.spillway.bench.reaction.Analysis.Phases;
import dev.spillway.bench.reaction.Analysis.Request;
import dev.spillway.bench.reaction.Analysis.Sample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisTest {
    private static final Phases PHASES = new Phases(10_000, 100_000, 130_000);

    private static Sample local(double t) {
        return new Sample(t, "LOCAL", List.of(), 0, 5, 1);
    }

    private static Sample redirect(double t, double f, String... targets) {
        return new Sample(t, "REDIRECT", List.of(targets), f, 300, 40);
    }

    /** LOCAL until 13 s, then 20%, 30%, 40% a second apart, 40% to the drop, LOCAL from 104 s. */
    private static List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        for (double t = 0; t < 130_000; t += 250) {
            if (t < 13_000 || t >= 104_000) {
                s.add(local(t));
            } else if (t < 14_000) {
                s.add(redirect(t, 0.2, "b", "c"));
            } else if (t < 15_000) {
                s.add(redirect(t, 0.3, "b", "c"));
            } else {
                s.add(redirect(t, 0.4, "b", "c"));
            }
        }
        return s;
    }

    @Test
    void figuresFollowTheDefinitions() {
        List<Request> rs = new ArrayList<>();
        rs.add(new Request(1_000, 1_100, false, false));
        rs.add(new Request(12_000, 13_400, true, false));     // first moved: answered 3.4 s after the step
        rs.add(new Request(50_000, 50_200, true, false));
        rs.add(new Request(101_000, 103_500, true, false));   // last moved after the drop: 3.5 s
        rs.add(new Request(110_000, 110_100, false, true));
        Figures f = Analysis.analyse(samples(), rs, PHASES, 60_000, 30_000, 0.05);
        assertEquals(3.0, f.firstDirectiveS(), 1e-9);
        assertEquals(3.4, f.firstMoveS(), 1e-9);
        assertEquals(5.0, f.steadyAtS(), 1e-9, "40% from 15 s holds");
        assertEquals(0.4, f.steadyFraction(), 1e-9);
        assertEquals(3, f.changesDuringOverload(), "LOCAL->20, 20->30, 30->40; the drop's change is after");
        assertEquals(0, f.changesInSteadyWindow());
        assertEquals(30.0, f.steadyWindowS(), 1e-9);
        assertEquals(3.5, f.stopMovingS(), 1e-9);
        assertEquals(4.0, f.localAfterDropS(), 1e-9);
        assertEquals(1, f.failed()[2]);
        assertEquals(4, f.changes().size());
    }

    @Test
    void theFirstRedirectIsTimedByIts307NotByThePeersAnswer() {
        List<Request> rs = new ArrayList<>();
        rs.add(new Request(9_000, 9_400, true, false, true, 9_010));        // before the step (10 s): not counted
        rs.add(new Request(10_020, 10_160, true, false, true, 10_060));     // 307 at 60 ms, answered at 160 ms
        rs.add(new Request(10_030, 10_150, true, false, false, 10_150));    // proxied: no 307 to time
        Figures f = Analysis.analyse(samples(), rs, PHASES, 60_000, 30_000, 0.05);
        assertEquals(0.06, f.firstRedirectS(), 1e-9);
        assertEquals(0.15, f.firstMoveS(), 1e-9);
    }

    @Test
    void aRenewedLeaseIsNoChangeButNewTargetsAre() {
        List<Sample> s = List.of(local(0), redirect(250, 0.3, "b"), redirect(500, 0.3, "b"), redirect(750, 0.3, "b", "c"),
                new Sample(1000, null, List.of(), Double.NaN, Double.NaN, Double.NaN), redirect(1250, 0.3, "b", "c"),
                redirect(1500, 0.304, "b", "c"), redirect(1750, 0.3, "c", "b"));
        assertEquals(2, Analysis.changes(s).size(), "LOCAL -> b 30%, b -> b,c; the same targets reordered are no change");
    }

    @Test
    void anOscillatingFractionIsNeverSteady() {
        List<Sample> s = new ArrayList<>();
        for (double t = 0; t < 130_000; t += 250) {
            boolean on = t >= 10_000 && t < 100_000 && ((long) (t / 6_000)) % 2 == 0;
            s.add(on ? redirect(t, 0.5, "b") : local(t));
        }
        Figures f = Analysis.analyse(s, List.of(), PHASES, 60_000, 30_000, 0.05);
        assertTrue(Double.isNaN(f.steadyAtS()));
        assertTrue(f.changesPer30s() > 4, "two changes per 6 s: " + f.changesPer30s());
        assertTrue(Double.isNaN(f.firstMoveS()));
    }
}
