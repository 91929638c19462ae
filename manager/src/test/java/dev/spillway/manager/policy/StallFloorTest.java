package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Budgets with no measured need behind them ("floors") are capped, so that a stall that backs every pool up at once
 * cannot pour half of each server's pages into its peers' queues under permits granted in a quiet cycle (session
 * 12's shape 5 collapse, BENCHMARKS.md 7, "Session 13: a machine-wide stall"); a host with measured need still gets
 * it whole.
 */
class StallFloorTest {
    private static final double SHARE = 0.8;

    private static Observation host(String id, double rate) {
        return Observation.polled(id, "", Loads.capacity(id, 20, 100, rate), false);
    }

    private static double total(HostDecision d) {
        return d.directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void aQuietClusterGrantsEachHostOnlyASmallShareOfItsCapacityWithNoNeedBehindIt() {
        // shape 5's warm-up: three servers of 200/s at 30% (60/s), each with 0.8 x 200 - 60 = 100/s to spare. The
        // last cycle before a machine-wide stall: before the cap, each host's floors took its targets' whole spare
        // (about 100/s each, 36-82 per target in session 12), and the valve moved 94-103 of each server's 180 pages
        // into pools as backed up as its own in the stall's first second.
        List<HostDecision> ds = new Policy(PolicyConfig.defaults(1000)).decide(0, List.of(
                host("a", 60), host("b", 60), host("c", 60)));
        for (HostDecision d : ds) {
            assertTrue(d.directive().isPermit(), d.id() + " still holds a standing permit: " + d.directive());
            assertFalse(d.directive().targets().isEmpty(), d.id() + " can move its first request at once");
            assertTrue(total(d) <= 0.10 * 200 + 1e-9, d.id() + " may move at most 10% of its capacity with no"
                    + " measured need: " + d.directive());
            assertTrue(total(d) >= PermitPlanner.MIN_BUDGET, d.id() + " " + d.directive());
        }
    }

    @Test
    void theSameCapHoldsAtNinetyPercentOrInAnyQuietCycle() {
        // the planner alone, with spare given: whatever the targets have, a source with no need gets at most 20/s
        PermitPlanner planner = new PermitPlanner(3);
        Capacity quiet = new Capacity(200, 60, 100, 100, 20);
        List<PermitPlanner.Source> sources = List.of(new PermitPlanner.Source("a", "", quiet),
                new PermitPlanner.Source("b", "", quiet), new PermitPlanner.Source("c", "", quiet),
                new PermitPlanner.Source("d", "", quiet));
        List<PermitPlanner.Target> targets = List.of(new PermitPlanner.Target("a", "", 100),
                new PermitPlanner.Target("b", "", 100), new PermitPlanner.Target("c", "", 100),
                new PermitPlanner.Target("d", "", 100));
        Map<String, PermitPlanner.Grant> grants = planner.plan(sources, targets, SHARE);
        grants.forEach((id, g) -> {
            assertTrue(g.total() <= 20 + 1e-9, id + " " + g);
            assertTrue(g.total() >= 19.5, id + " gets its cap, spread over its targets: " + g);
        });
    }

    @Test
    void aStepWithMeasuredNeedStillGetsItsNeedWholeAndTheCapOnlyOnTop() {
        // shape 3 after the step, as the next cycle sees it: a at 300/s on 200/s, b and c at 100/s; targets are
        // filled to the cluster's 500 / 600, so b and c have 0.833 x 200 - 100 = 66.6/s each and a's need
        // (300 - 166.7) exceeds each: a gets all of both, beyond any cap, and b and c, with no need, none
        List<HostDecision> ds = new Policy(PolicyConfig.defaults(1000)).decide(0, List.of(
                host("a", 300), host("b", 100), host("c", 100)));
        assertEquals(133.2, total(ds.get(0)), 0.2, "a " + ds.get(0).directive());
        assertTrue(ds.get(1).directive().budgets().isEmpty(), "b " + ds.get(1).directive());
        // a step that found its budgets spent: the over-budget rate is need, granted beyond the cap
        HostLoad overBudget = Loads.capacity("a", 20, 100, 150).toBuilder().overBudgetRate(80).build();
        List<HostDecision> alerted = new Policy(PolicyConfig.defaults(1000)).decide(0, List.of(
                Observation.polled("a", "", overBudget, false), host("b", 60), host("c", 60)));
        double toA = total(alerted.get(0));
        assertTrue(toA >= 80 + 20 - 1e-9, "a's unmet 80/s from each target that has it, its floor on top: "
                + alerted.get(0).directive());
        assertTrue(total(alerted.get(1)) <= 20 + 1e-9, "b " + alerted.get(1).directive());
    }
}
