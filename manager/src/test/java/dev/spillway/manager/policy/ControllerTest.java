package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.OffloadMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ControllerTest {

    @Test
    void growsWhileHotHoldsBetweenMarksShrinksWhenRecovered() {
        FractionController c = new FractionController(0.2, 0.1, 0.05);
        assertEquals(0.2, c.next(0, true, true), 1e-9);
        assertEquals(0.3, c.next(0.2, true, true), 1e-9);
        assertEquals(0.3, c.next(0.3, true, false), 1e-9);
        assertEquals(0.25, c.next(0.3, false, false), 1e-9);
        assertEquals(1.0, c.next(0.95, true, true), 1e-9);
        assertEquals(0.0, c.next(0.03, false, false), 1e-9);
    }

    private static Candidate ok(String id, double stress) {
        return new Candidate(id, "", HostState.OK, true, true, -1, -1, stress, 0);
    }

    @Test
    void twoHotHostsDoNotBothPushFullyAtOneBarelyOkPeer() {
        // peer p has stress 0.7: 0.1 headroom under the 0.8 ceiling
        List<Candidate> hosts = List.of(ok("p", 0.7));
        HeadroomAllocator a = new HeadroomAllocator(0.8, 3, hosts);
        HeadroomAllocator.Allocation first = a.allocate(1.0, 1.0, hosts, true);
        HeadroomAllocator.Allocation second = a.allocate(1.0, 1.0, hosts, true);
        assertEquals(0.1, first.fraction(), 1e-9);
        assertEquals(List.of("p"), first.targets());
        assertEquals(0.0, second.fraction(), 1e-9, "nothing left for the second hot host");
        assertTrue(second.targets().isEmpty());
    }

    @Test
    void usesMoreTargetsWhenOneCannotCarryTheDemand() {
        List<Candidate> hosts = List.of(ok("b", 0.5), ok("c", 0.6), ok("d", 0.7));
        HeadroomAllocator a = new HeadroomAllocator(0.8, 3, hosts);
        // wants 0.4 of stress 1.0: b alone carries 0.3; b,c carry 2 * 0.2 = 0.4
        HeadroomAllocator.Allocation r = a.allocate(1.0, 0.4, hosts, true);
        assertEquals(List.of("b", "c"), r.targets());
        assertEquals(0.4, r.fraction(), 1e-9);
    }

    @Test
    void randomClusterNeverExceedsAnyTargetsHeadroom() {
        Random rnd = new Random(1);
        for (int round = 0; round < 500; round++) {
            List<Candidate> hosts = new ArrayList<>();
            Map<String, Double> headroom = new HashMap<>();
            for (int i = 0; i < 8; i++) {
                double s = rnd.nextDouble() * 1.2;
                Candidate c = ok("h" + i, s);
                hosts.add(c);
                headroom.put(c.id(), Math.max(0, 0.8 - s));
            }
            HeadroomAllocator a = new HeadroomAllocator(0.8, 3, hosts);
            Map<String, Double> load = new HashMap<>();
            for (int src = 0; src < 5; src++) {
                double srcStress = 1 + rnd.nextDouble();
                HeadroomAllocator.Allocation r = a.allocate(srcStress, rnd.nextDouble(),
                        new TargetSelector(0.1).order(null, "", hosts), true);
                for (String t : r.targets()) {
                    // the filter splits moved requests evenly over the listed targets
                    load.merge(t, r.fraction() * srcStress / r.targets().size(), Double::sum);
                }
            }
            load.forEach((t, l) -> assertTrue(l <= headroom.get(t) + 1e-9,
                    "target " + t + " got " + l + " > headroom " + headroom.get(t)));
        }
    }

    @Test
    void policyRampsUpThenBackToLocal() {
        PolicyConfig cfg = PolicyConfig.defaults(1000);
        Policy p = new Policy(cfg);
        List<Double> fractions = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 6; i++, t += 1000) {
            HostDecision a = p.decide(t, List.of(
                    Observation.polled("a", "", Loads.delay("a", 300), false),
                    Observation.polled("b", "", Loads.delay("b", 0), false))).get(0);
            fractions.add(a.directive().fraction());
        }
        assertEquals(List.of(0.0, 0.0, 0.2, 0.3, 0.4, 0.5), fractions);
        // stress of a = 1.5 (capped history of 300/200); b's headroom 0.8 carries 0.8 / 1.5 = 0.53 at most
        for (int i = 0; i < 5; i++, t += 1000) {
            HostDecision a = p.decide(t, List.of(
                    Observation.polled("a", "", Loads.delay("a", 300), false),
                    Observation.polled("b", "", Loads.delay("b", 0), false))).get(0);
            assertTrue(a.directive().fraction() * 1.5 <= 0.8 + 1e-9, "exceeds b's headroom: " + a.reason());
            assertTrue(a.reason().contains("limited by targets' headroom"), a.reason());
        }
        HostDecision last = null;
        for (int i = 0; i < 30; i++, t += 1000) {
            last = p.decide(t, List.of(
                    Observation.polled("a", "", Loads.delay("a", 10), false),
                    Observation.polled("b", "", Loads.delay("b", 0), false))).get(0);
        }
        assertEquals(OffloadMode.LOCAL, last.directive().mode());
        assertEquals(HostState.OK, last.state());
    }

    @Test
    void overloadedHostGetsTheBestTargetAndAReasonInWords() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        HostDecision a = null;
        for (int i = 0; i < 3; i++) {
            a = p.decide(i * 1000L, List.of(
                    Observation.polled("A", "", Loads.delay("A", 240), false),
                    Observation.polled("B", "", Loads.delay("B", 20), false),
                    Observation.polled("C", "", Loads.delay("C", 60), false))).get(0);
        }
        assertEquals(HostState.OVERLOADED, a.state());
        assertEquals(OffloadMode.REDIRECT, a.directive().mode());
        assertEquals("B", a.directive().targets().get(0));
        assertEquals(3000, a.directive().leaseMillis());
        assertEquals("A moves 20% of eligible requests to B: queue delay 240 ms > 200 ms for 3 s", a.reason());
        assertTrue(a.push());
        assertFalse(a.logLine() == null);
    }

    @Test
    void drainedAndFailedHostsMoveEverythingAndAreNotTargets() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        List<HostDecision> ds = null;
        for (int i = 0; i < 3; i++) {
            ds = p.decide(i * 1000L, List.of(
                    Observation.polled("a", "", Loads.delay("a", 20), true),
                    Observation.polled("b", "", Loads.delay("b", 20), false),
                    Observation.polled("c", "", Loads.delay("c", 20), false),
                    Observation.polled("sick", "",
                            dev.spillway.agent.contract.HostLoad.builder("sick").queueDelayMillis(0).healthUp(false).build(),
                            false)));
        }
        HostDecision a = ds.get(0);
        assertEquals(HostState.DRAINING, a.state());
        assertEquals(1.0, a.directive().fraction(), 1e-9);
        assertFalse(a.directive().targets().contains("a"));
        HostDecision sick = ds.get(3);
        assertEquals(HostState.FAILED, sick.state());
        assertEquals(1.0, sick.directive().fraction(), 1e-9);
        for (HostDecision d : ds) {
            assertFalse(d.directive().targets().contains("sick"));
            assertFalse(d.directive().targets().contains("a"));
        }
    }

    @Test
    void aStandingDirectiveKeepsItsTargetsWhileTheyCanCarryIt() {
        // b and c are alike and either alone can carry a's share: before, the spread term (a's own picks of the
        // peer it used) made them trade places every cycle, and a's directive changed every cycle.
        Policy p = new Policy(PolicyConfig.defaults(1000));
        List<List<String>> targets = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            double delay = i < 3 ? 300 : 150;   // overloaded, then held between the marks
            HostDecision a = p.decide(i * 1000L, List.of(
                    Observation.polled("a", "", Loads.of("a", 10, delay, 0.2, 0.1), false),
                    Observation.polled("b", "", Loads.of("b", 1, 0, 0.2, 0.1), false),
                    Observation.polled("c", "", Loads.of("c", 1, 0, 0.2, 0.1), false))).get(0);
            if (i >= 3) {
                assertEquals(HostState.OVERLOADED, a.state());
                targets.add(a.directive().targets());
            }
        }
        assertEquals(1, targets.stream().distinct().count(), "targets changed: " + targets);
        assertEquals(1, targets.get(0).size(), "one peer carries it: " + targets.get(0));
    }

    @Test
    void currentTargetsAreKeptAndOthersAddedOnlyWhenNeeded() {
        List<Candidate> hosts = List.of(ok("b", 0.5), ok("c", 0.2), ok("d", 0.2));
        HeadroomAllocator a = new HeadroomAllocator(0.8, 3, hosts);
        List<Candidate> ordered = new TargetSelector(0.1).order(null, "", hosts);
        // c alone would carry 0.3 (best first), but b is the current target and carries 0.3 too
        assertEquals(List.of("b"), a.allocate(1.0, 0.3, ordered, true, List.of("b")).targets());
        // 0.5 is more than b's 0.3: the prefix grows from b, with the best of the others
        HeadroomAllocator fresh = new HeadroomAllocator(0.8, 3, hosts);
        HeadroomAllocator.Allocation grown = fresh.allocate(1.0, 0.5, ordered, true, List.of("b"));
        assertEquals("b", grown.targets().get(0));
        assertEquals(0.5, grown.fraction(), 1e-9);
        // a current target with no headroom left is dropped
        HeadroomAllocator full = new HeadroomAllocator(0.8, 3, List.of(ok("b", 0.9), ok("c", 0.2)));
        assertEquals(List.of("c"), full.allocate(1.0, 0.3, new TargetSelector(0.1).order(null, "",
                List.of(ok("b", 0.9), ok("c", 0.2))), true, List.of("b")).targets());
    }
}
