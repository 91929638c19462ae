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
 * it whole; and a host whose samples show it could not run for a while (a gap in them) is no target in the cycle that
 * reads the gap: it looks idle while its pool holds everything that arrived meanwhile.
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

    private static Observation sampled(String id, double rate, long at) {
        return Observation.polled(id, "", Loads.capacity(id, 20, 100, rate).toBuilder().timestampMillis(at).build(),
                false);
    }

    private static HostLoad backedUp(String id) {
        return Loads.capacity(id, 20, 100, 180).toBuilder().overBudgetRate(150).waitingRequests(300)
                .timestampMillis(6_100).build();
    }

    private static boolean anyTargets(List<HostDecision> ds, String target) {
        return ds.stream().anyMatch(d -> d.directive().targets().contains(target));
    }

    @Test
    void aHostWhoseSamplesShowAGapIsNoTargetInTheCycleThatReadsIt() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        // every server sampled each second at 30%; then all were stopped ~2 s: a and c show their queues at once
        // (over budget, their rate beyond capacity), b's first sample after the gap still looks idle
        for (int i = 1; i <= 3; i++) {
            List<HostDecision> ds = p.decide(i * 1000L, List.of(sampled("a", 60, i * 1000L),
                    sampled("b", 60, i * 1000L + 7), sampled("c", 60, i * 1000L + 3)));
            assertTrue(anyTargets(ds, "b"), "b is a target while it samples every second: " + ds);
        }
        List<HostDecision> after = p.decide(6_200, List.of(Observation.polled("a", "", backedUp("a"), false),
                sampled("b", 20, 6_150), Observation.polled("c", "", backedUp("c"), false)));
        assertFalse(anyTargets(after, "b"), "b's sample came 3 s after its last one: it was stalled too: " + after);
        // its next sample, a second later, is read as usual (its backlog, if any, comes off its spare)
        List<HostDecision> next = p.decide(7_200, List.of(sampled("a", 60, 7_100), sampled("b", 60, 7_150),
                sampled("c", 60, 7_120)));
        assertTrue(anyTargets(next, "b"), "b samples every second again: " + next);
    }

    @Test
    void anAgentThatSamplesLessOftenIsNotAStall() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        for (int i = 1; i <= 5; i++) {
            List<HostDecision> ds = p.decide(i * 5000L, List.of(sampled("a", 60, i * 5000L),
                    sampled("b", 60, i * 5000L), sampled("c", 60, i * 5000L)));
            if (i > 2) { // the second gap of 5 s is the norm
                assertTrue(anyTargets(ds, "b"), "b samples every 5 s, always: " + ds);
            }
        }
    }

    @Test
    void aSampleReadTwiceOrWithoutATimestampChangesNothing() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        for (long t = 1000; t <= 3000; t += 1000) {
            p.decide(t, List.of(sampled("a", 60, t), sampled("b", 60, t), sampled("c", 60, t)));
        }
        // an early cycle 0.4 s on, and the next regular one, read b's same sample again (its sampler a little late)
        assertTrue(anyTargets(p.decide(3400, List.of(sampled("a", 60, 3000), sampled("b", 60, 3000),
                sampled("c", 60, 3000))), "b"));
        assertTrue(anyTargets(p.decide(4000, List.of(sampled("a", 60, 4000), sampled("b", 60, 3000),
                sampled("c", 60, 4000))), "b"), "b's sample is a second old: not a stall");
        assertTrue(anyTargets(p.decide(5000, List.of(host("a", 60), host("b", 60), host("c", 60))), "b"),
                "no timestamp: no gap");
    }

    @Test
    void aHostWhoseNewestSampleStaysTheSameForLongerThanTheGapRuleIsNoTarget() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        for (long t = 1000; t <= 3000; t += 1000) {
            p.decide(t, List.of(sampled("a", 60, t), sampled("b", 60, t + 7), sampled("c", 60, t + 3)));
        }
        // every server stopped; a and c sample as soon as they run again, b's first poll after the stall still
        // returns its sample from before it (read first at 3000 by the manager's clock)
        List<HostDecision> after = p.decide(5_200, List.of(Observation.polled("a", "", backedUp("a"), false),
                sampled("b", 60, 3_007), Observation.polled("c", "", backedUp("c"), false)));
        assertFalse(anyTargets(after, "b"), "b has shown no new sample for 2.2 s: it was stalled too: " + after);
        // its first new sample comes with the gap, then it samples every second again
        assertFalse(anyTargets(p.decide(5_600, List.of(sampled("a", 60, 5_500), sampled("b", 20, 5_550),
                sampled("c", 60, 5_520))), "b"), "the sample after the gap is read as before");
        assertTrue(anyTargets(p.decide(6_600, List.of(sampled("a", 60, 6_500), sampled("b", 60, 6_550),
                sampled("c", 60, 6_520))), "b"), "b samples every second again");
    }
}
