package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A queue must be able to drain. One server at 200% beside two at 40% (hotspot bench, "one hot at 200%", session 8):
 * a's excess (200 req/s) about equals what b and c may take at the cluster's mean fill, so the queue a built in its
 * first seconds drained only at the margin and a's p99 stayed near 2 s for the whole row. A backlog counts as load
 * spread over a few seconds, and the fill may then rise to a target's full capacity; small queues change nothing.
 */
class DrainTest {
    /** 20 workers x 100 ms = 200/s, {@code rate}/s through its filter, {@code waiting} queued now. */
    private static HostLoad host(String id, double rate, double waiting) {
        return Loads.capacity(id, 20, 100, rate).toBuilder().waitingRequests(waiting).build();
    }

    /** The hot host, moving {@code moved}/s evenly to b and c and refused {@code overBudget}/s by its budgets. */
    private static HostLoad hot(double rate, double waiting, double moved, double overBudget) {
        return host("a", rate, waiting).toBuilder().movedRate(moved).overBudgetRate(overBudget)
                .movedToPeers(new String[] {"b", "c"}).movedToRates(new double[] {moved / 2, moved / 2}).build();
    }

    /** As measured in that row: a serves 200/s and moves 190/s; b and c take 95/s each beside their own 85. */
    private static List<Observation> oneHotAt200(double aWaiting) {
        return List.of(Observation.polled("a", "", hot(390, aWaiting, 190, 200), false),
                Observation.polled("b", "", host("b", 180, 0), false),
                Observation.polled("c", "", host("c", 180, 0), false));
    }

    private static double total(HostDecision d) {
        return d.directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static HostDecision decideA(List<Observation> cluster) {
        return new Policy(PolicyConfig.defaults(1000)).decide(0, cluster).get(0);
    }

    @Test
    void aHotHostWithAQueueAndIdleTargetsGetsMoreThanItsExcess() {
        // a's workers serve 200/s, so budgets of 200 only hold its queue; what is beyond drains it
        HostDecision queued = decideA(oneHotAt200(500));
        assertTrue(total(queued) >= 225, "500 queued at a, b and c at 180 of 200/s: " + queued.directive());
        assertTrue(total(queued) <= 2 * (200 - 85) + 1e-9, "never beyond b's and c's capacity less their own load: "
                + queued.directive());
        HostDecision none = decideA(oneHotAt200(0));
        assertTrue(total(none) < total(queued), "the queue made no difference: " + none.directive());
    }

    @Test
    void theDrainGoesOnlyToTargetsWithoutAQueue() {
        List<Observation> cluster = List.of(Observation.polled("a", "", hot(390, 500, 190, 200), false),
                Observation.polled("b", "", host("b", 180, 0), false),
                Observation.polled("c", "", host("c", 200, 60), false));
        // by rates the cluster is at (390 + 85 + 105) / 600 = 97%: b and c may be filled to 95%, b to 100% with
        // the drain; c, 60 queued, keeps 95%: 190 - 105 - 60 = 25
        HostDecision a = decideA(cluster);
        List<String> targets = a.directive().targets();
        assertEquals(115, a.directive().budgets().get(targets.indexOf("b")), 1e-9, a.directive().toString());
        assertEquals(25, a.directive().budgets().get(targets.indexOf("c")), 1e-9, a.directive().toString());
    }

    @Test
    void aFirstSecondsQueueInShapeOneChangesNothing() {
        // a at 126% beside two at 42% (shape 1): a queue of 60 before its budgets caught up must not be poured onto
        // b and c in a burst (session 8: their p99 rose to 267-470 ms when a's backlog raised its budgets)
        List<Observation> quiet = List.of(Observation.polled("a", "", hot(252, 0, 40, 60), false),
                Observation.polled("b", "", host("b", 104, 0), false),
                Observation.polled("c", "", host("c", 104, 0), false));
        List<Observation> queued = List.of(Observation.polled("a", "", hot(252, 60, 40, 60), false),
                Observation.polled("b", "", host("b", 104, 0), false),
                Observation.polled("c", "", host("c", 104, 0), false));
        assertEquals(total(decideA(quiet)), total(decideA(queued)), 1e-9);
    }

    @Test
    void everyHostAt90PercentWithOneSmallQueueGrantsNothing() {
        // shape 5: nothing to gain; a passing queue of 30 at one host must not open room at the others
        List<Observation> cluster = List.of(Observation.polled("a", "", host("a", 180, 30), false),
                Observation.polled("b", "", host("b", 180, 0), false),
                Observation.polled("c", "", host("c", 180, 0), false));
        List<HostDecision> d = new Policy(PolicyConfig.defaults(1000)).decide(0, cluster);
        for (HostDecision h : d) {
            assertEquals(0, total(h), 1e-9, h.directive().toString());
        }
    }

    @Test
    void theFillRisesWithTheBacklogUpToFullAndNoFurther() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        p.decide(0, oneHotAt200(0));
        double byRate = p.fill();
        assertTrue(byRate < ClusterCapacity.MAX_FILL, "rates alone: " + byRate);
        p.decide(1000, oneHotAt200(120));
        assertEquals(byRate + 120 / ClusterCapacity.DRAIN_SECONDS / 600, p.fill(), 1e-9, "120 queued over 5 s");
        p.decide(2000, oneHotAt200(5000));
        assertEquals(ClusterCapacity.DRAIN_FILL, p.fill(), 1e-9, "5000 queued");
    }
}
