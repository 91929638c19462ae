package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A source's own backlog is drained over {@link PermitPlanner#DRAIN_SECONDS}: out of what its targets have left after
 * every lister's measured need, before the floors, and counted as load in how full targets may be filled; and a host
 * with measured need keeps its permit through a cycle in which every pool shows a backlog (session 14's shape 3
 * collapse: a's permit withdrawn for 3 s at the step, its queue grew to 500 and drained for the rest of the row).
 */
class BacklogDrainTest {
    private static final double SHARE = 0.8;

    private static PermitPlanner.Source source(String id, double rate, double backlog) {
        return new PermitPlanner.Source(id, "", new Capacity(200, rate, 0, 100, 20), 0, List.of(), 0, backlog);
    }

    @Test
    void aBacklogIsDrainedFromTheSpareLeftAfterNeedsBeforeTheFloors() {
        // a at 200/s on 200/s (need 40) with 60 waiting; b and c have 100/s spare each
        PermitPlanner planner = new PermitPlanner(3);
        List<PermitPlanner.Target> targets = List.of(new PermitPlanner.Target("b", "", 100),
                new PermitPlanner.Target("c", "", 100));
        double without = planner.plan(List.of(source("a", 200, 0)), targets, SHARE).get("a").total();
        double with = planner.plan(List.of(source("a", 200, 60)), targets, SHARE).get("a").total();
        assertEquals(2 * 40 + 20, without, 0.3, "its need from each target, and the floor's cap");
        assertEquals(2 * 40 + 60 / PermitPlanner.DRAIN_SECONDS + 20, with, 0.3,
                "its need from each, 60 over 2 s spread over both, the floor's cap");
    }

    @Test
    void aBacklogNeverTakesWhatAnotherHostsMeasuredNeedTakes() {
        // one target with 100/s: b's need (300 - 160 = 140) alone is more than it has; a's queue gets none of it
        PermitPlanner planner = new PermitPlanner(3);
        Map<String, PermitPlanner.Grant> g = planner.plan(List.of(source("a", 150, 200), source("b", 300, 0)),
                List.of(new PermitPlanner.Target("t", "", 100)), SHARE);
        assertEquals(100, g.get("b").total(), 0.2, "b's need takes all of t: " + g);
        assertTrue(g.get("a").targets().isEmpty(), "a's backlog takes nothing from b's need: " + g);
        // with room left after b's need (160), a's drain (100/s) gets what is left, the floors nothing
        Map<String, PermitPlanner.Grant> room = planner.plan(List.of(source("a", 150, 200), source("b", 300, 0)),
                List.of(new PermitPlanner.Target("t", "", 160)), SHARE);
        assertEquals(140, room.get("b").total(), 0.2, "" + room);
        assertEquals(20, room.get("a").total(), 0.2, "what is left: " + room);
    }

    @Test
    void aBacklogCountsAsLoadInHowFullTargetsMayBeFilled() {
        // shape 3 after a stall: a serving 200/s with 400 waiting, b and c at 100/s. Own rates alone are 400 of 600
        // (targets at 0.8, 60/s each); with a's queue drained over 2 s the cluster has 600 of 600 to serve: 0.95
        List<Observation> obs = List.of(
                Observation.polled("a", "", Loads.capacity("a", 20, 100, 200).toBuilder().waitingRequests(400)
                        .build(), false),
                Observation.polled("b", "", Loads.capacity("b", 20, 100, 100), false),
                Observation.polled("c", "", Loads.capacity("c", 20, 100, 100), false));
        ClusterCapacity c = ClusterCapacity.estimate(obs, id -> 100, SHARE);
        assertEquals(ClusterCapacity.MAX_FILL, c.fill(), 1e-9);
        assertEquals(0.95 * 200 - 100, c.of("b").spare(), 1e-9);
    }

    @Test
    void aQueueAHostClearsByItselfWithinTheDrainTimeIsNeitherDrainedNorCountedInTheFill() {
        // shape 5 on a busy machine: every server at 90% (180/s of 200/s), one with 30 waiting after a pause. It
        // clears them itself (180 + 30 / 2 < 200): its peers' last 10% stay closed (session 9's drain1 opened them)
        List<Observation> obs = List.of(
                Observation.polled("a", "", Loads.capacity("a", 20, 100, 180).toBuilder().waitingRequests(30)
                        .build(), false),
                Observation.polled("b", "", Loads.capacity("b", 20, 100, 180), false),
                Observation.polled("c", "", Loads.capacity("c", 20, 100, 180), false));
        assertEquals(0.9, ClusterCapacity.estimate(obs, id -> 100, SHARE).fill(), 1e-9);
        PermitPlanner planner = new PermitPlanner(3);
        List<PermitPlanner.Target> targets = List.of(new PermitPlanner.Target("b", "", 100));
        assertEquals(20, planner.plan(List.of(source("a", 100, 60)), targets, SHARE).get("a").total(), 0.2,
                "100 + 60 / 2 within 200: the floor's cap only");
        assertEquals(30 + 40 + 20, planner.plan(List.of(source("a", 190, 80)), targets, SHARE).get("a").total(),
                0.2, "190 + 80 / 2 beyond 200: its need of 30, 80 over 2 s, the floor's cap");
    }

    private static HostLoad load(String id, double rate, double waiting, double overBudget) {
        return Loads.capacity(id, 20, 100, rate).toBuilder().waitingRequests(waiting).overBudgetRate(overBudget)
                .build();
    }

    @Test
    void aHostWithNeedKeepsItsPermitWhileEveryPoolIsBackedUp() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        // the step: a at 300/s, b and c at 100/s
        List<HostDecision> step = p.decide(1000, List.of(Observation.polled("a", "", load("a", 300, 0, 0), false),
                Observation.polled("b", "", load("b", 100, 0, 0), false),
                Observation.polled("c", "", load("c", 100, 0, 0), false)));
        HostDecision a = step.get(0);
        assertTrue(a.directive().isPermit() && a.directive().targets().size() == 2, "" + a.directive());
        // a stall of the machine: every pool backed up, nobody has spare. a, over budget, keeps what it held; b and c,
        // with no need, get nothing (their floors would move pages between queues as long as their own)
        List<HostDecision> stall = p.decide(2000, List.of(
                Observation.polled("a", "", load("a", 200, 300, 100), false),
                Observation.polled("b", "", load("b", 100, 100, 0), false),
                Observation.polled("c", "", load("c", 100, 100, 0), false)));
        assertEquals(a.directive().targets(), stall.get(0).directive().targets(), "" + stall.get(0).directive());
        assertEquals(a.directive().budgets(), stall.get(0).directive().budgets(), "" + stall.get(0).directive());
        assertTrue(stall.get(1).directive().targets().isEmpty(), "" + stall.get(1).directive());
        assertTrue(stall.get(2).directive().targets().isEmpty(), "" + stall.get(2).directive());
        // one pool clear: not a machine-wide stall; the plan as usual (b with spare, c with none)
        List<HostDecision> after = p.decide(3000, List.of(
                Observation.polled("a", "", load("a", 200, 300, 100), false),
                Observation.polled("b", "", load("b", 100, 0, 0), false),
                Observation.polled("c", "", load("c", 100, 100, 0), false)));
        assertEquals(List.of("b"), after.get(0).directive().targets(), "" + after.get(0).directive());
    }
}
