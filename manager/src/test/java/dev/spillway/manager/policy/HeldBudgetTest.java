package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hot host's budgets hold while it still moves what they allow, and decay once its moves stop. A backed-up pool
 * takes requests in no faster than it serves plus what it may spill, so after a raise has stopped the over-budget
 * refusals its measured rate (and the excess from it) reads low; sized from that alone, the next cycle cut the
 * budgets below what the host was moving, and its pool backed up again (hotspot bench shape 3, session 7).
 */
class HeldBudgetTest {
    private static final double SHARE = 0.8;

    /** 20 workers x 100 ms = 200/s; b and c at 100/s have 0.8 x 200 - 100 = 60/s spare each. */
    private static List<Observation> cluster(double aRate, double aMoved, double aOverBudget) {
        HostLoad a = Loads.capacity("a", 20, 100, aRate).toBuilder().movedRate(aMoved).overBudgetRate(aOverBudget)
                .build();
        return List.of(Observation.polled("a", "", a, false),
                Observation.polled("b", "", Loads.capacity("b", 20, 100, 100), false),
                Observation.polled("c", "", Loads.capacity("c", 20, 100, 100), false));
    }

    private static double total(HostDecision d) {
        return d.directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void needCountsWhatTheHostMovedWhileItsRateReadsLow() {
        Capacity a = new Capacity(200, 180, 0, 100, 20); // excess 180 - 160 = 20
        assertEquals(20, a.need(SHARE, 0, 0), 1e-9, "no moves: the excess");
        assertEquals(118, a.need(SHARE, 0, 118), 1e-9, "moving 118/s: at least that");
        assertEquals(118 + 30, a.need(SHARE, 30, 118), 1e-9, "and what found no budget on top");
        assertEquals(20, a.need(SHARE, 0, Double.NaN), 1e-9, "an agent that does not report moves: the excess");
        assertEquals(20 + 30, a.need(SHARE, 30, 10), 1e-9, "moves below the excess change nothing");
        Capacity cpu = new Capacity(200, 240, 0, 10, 20, 0.5); // a CPU-bound source: moves cost it half
        assertEquals(80 / 0.5, cpu.need(SHARE, 0, 100), 1e-9, "the excess at its move cost when that is more");
    }

    @Test
    void budgetsHoldWhileTheHostMovesWhatTheyAllowAndDecayWhenTheMovesStop() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        // the raise: a's pool backed up and 171/s found no budget
        HostDecision raised = p.decide(0, cluster(262, 62, 171)).get(0);
        double held = total(raised);
        assertTrue(held >= 118, "raised to b's and c's spare: " + raised.directive());

        // the window after it: no refusals, a moved nearly all its budgets allow, its measured rate reads low
        HostDecision after = p.decide(1000, cluster(180, 118, 0)).get(0);
        assertTrue(total(after) >= 118, "a's budgets stay at least what it moves (118/s): " + after.directive());
        assertTrue(total(after) <= 120 + 1e-9, "and no more than b's and c's spare: " + after.directive());

        // its moves stop: the budgets fall back to what its rate needs (its floor share of the spare)
        HostDecision calm = p.decide(2000, cluster(150, 0, 0)).get(0);
        HostDecision fresh = new Policy(PolicyConfig.defaults(1000)).decide(0, cluster(150, 0, 0)).get(0);
        assertEquals(total(fresh), total(calm), 1e-9, "as if it had never been raised: " + calm.directive());
        assertTrue(total(calm) < total(after) - 50, "decayed: " + calm.directive());
    }
}
