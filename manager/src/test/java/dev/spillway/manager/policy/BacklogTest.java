package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests waiting for a host's workers are load its rate does not show: a backed-up pool's rate is only what its
 * workers get through. A host with a queue offered spare to its peers (hotspot bench session 8, "all at 110%":
 * {@code b may spill to a (99 req/s)} while a had 559 requests queued).
 */
class BacklogTest {
    private static final double SHARE = 0.8;

    /** 20 workers x 100 ms = 200/s, serving {@code rate}/s, with {@code waiting} requests queued now. */
    private static HostLoad host(String id, double rate, double waiting) {
        return Loads.capacity(id, 20, 100, rate).toBuilder().waitingRequests(waiting).build();
    }

    @Test
    void aTargetsBacklogComesOffItsSpare() {
        assertEquals(60, Capacity.estimate(host("b", 100, 0), 100, 0, SHARE).spare(), 1e-9, "0.8 x 200 - 100");
        assertEquals(50, Capacity.estimate(host("b", 100, 10), 100, 0, SHARE).spare(), 1e-9, "10 waiting");
        assertEquals(0, Capacity.estimate(host("b", 190, 559), 100, 0, SHARE).spare(), "a queue of 559: none");
        assertEquals(60, Capacity.estimate(host("b", 100, Double.NaN), 100, 0, SHARE).spare(), 1e-9,
                "an agent that cannot read its pool: as before");
    }

    @Test
    void aHostWithAQueueIsNoTargetEvenWhenItsRateLooksLow() {
        // a's workers get through 150/s while 300 wait: its rate alone says 10/s spare
        List<Observation> cluster = List.of(
                Observation.polled("a", "", host("a", 150, 300), false),
                Observation.polled("b", "", host("b", 180, 40), false));
        List<HostDecision> d = new Policy(PolicyConfig.defaults(1000)).decide(0, cluster);
        HostDecision b = d.get(1);
        assertFalse(b.directive().targets().contains("a"), "b was sent to a backed-up a: " + b.directive());
    }

    @Test
    void aHotHostsBacklogRaisesItsBudgetsByWhatDrainsItInTwoSecondsNotInOne() {
        // Budgets that would move a queue within a second let the valve pour it onto the targets in one burst, which
        // their own workers then queue (shape 1, redirect, session 8); with none of it, a queue left by a step drained
        // only by the floor's few requests/s. a's queue of 120 adds 120 / 2 = 60/s, out of the spare left after needs.
        List<Observation> quiet = List.of(
                Observation.polled("a", "", host("a", 200, 0), false),
                Observation.polled("b", "", host("b", 60, 0), false),
                Observation.polled("c", "", host("c", 60, 0), false));
        List<Observation> queued = List.of(
                Observation.polled("a", "", host("a", 200, 120), false),
                Observation.polled("b", "", host("b", 60, 0), false),
                Observation.polled("c", "", host("c", 60, 0), false));
        double without = total(new Policy(PolicyConfig.defaults(1000)).decide(0, quiet).get(0));
        double with = total(new Policy(PolicyConfig.defaults(1000)).decide(0, queued).get(0));
        assertEquals(without + 120 / PermitPlanner.DRAIN_SECONDS, with, 0.3, "a's queue of 120 over 2 s");
    }

    @Test
    void aFreshHostsFirstFewFastRequestsDoNotSetItsCapacity() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        // before the load: three readiness checks of 5 ms
        p.decide(0, List.of(Observation.polled("b", "", Loads.capacity("b", 20, 5, 3), false)));
        assertEquals(20 / 0.005, p.capacities().get("b").capacity(), 1e-6, "all it has seen");
        // the load: 100 pages/s of 100 ms
        p.decide(1000, List.of(Observation.polled("b", "", Loads.capacity("b", 20, 100, 100), false)));
        double capacity = p.capacities().get("b").capacity();
        assertTrue(capacity < 1.05 * 200, "three checks outweighed a hundred pages: " + capacity + " req/s");
        assertTrue(capacity > 200, "the checks still count as the three requests they are: " + capacity);
    }

    private static double total(HostDecision d) {
        return d.directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
    }
}
