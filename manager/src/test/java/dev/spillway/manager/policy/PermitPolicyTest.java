package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The manager's slow loop: capacity, spare capacity, and standing permits whose budgets never over-promise. */
class PermitPolicyTest {
    private static final double SHARE = 0.8;

    private static List<HostDecision> cycles(Policy p, int n, List<Observation> obs) {
        List<HostDecision> out = null;
        for (int i = 0; i < n; i++) {
            out = p.decide(i * 1000L, obs);
        }
        return out;
    }

    private static Observation host(String id, long workers, double serviceMs, double rate) {
        return Observation.polled(id, "", Loads.capacity(id, workers, serviceMs, rate), false);
    }

    /** Sum of the budgets every decision points at each target (also used by {@link MoveCostTest}). */
    static Map<String, Double> inflowPromised(List<HostDecision> ds) {
        Map<String, Double> sum = new HashMap<>();
        for (HostDecision d : ds) {
            Directive x = d.directive();
            for (int i = 0; i < x.budgets().size(); i++) {
                sum.merge(x.targets().get(i), x.budgets().get(i), Double::sum);
            }
        }
        return sum;
    }

    @Test
    void capacityIsWorkersOverServiceTimeAndSpareLeavesTheShareFree() {
        Capacity c = Capacity.estimate(Loads.capacity("b", 20, 100, 84), 100, 0, SHARE);
        assertEquals(200, c.capacity(), 1e-9);
        assertEquals(84, c.ownRate(), 1e-9);
        assertEquals(0.8 * 200 - 84, c.spare(), 1e-9);
        Capacity fed = Capacity.estimate(Loads.capacity("b", 20, 100, 160), 100, 76, SHARE);
        assertEquals(84, fed.ownRate(), 1e-9, "requests moved here by others are not its own load");
        Capacity unknown = Capacity.estimate(HostLoad.builder("x").requestRate(10).build(), 100, 0, SHARE);
        assertTrue(Double.isNaN(unknown.capacity()));
        assertEquals(0, unknown.spare(), "unknown capacity promises nothing");
    }

    @Test
    void aHostsOwnCpuBoundsItsCapacityButTheMachinesDoesNot() {
        HostLoad cgroup = Loads.capacity("b", 200, 10, 100).toBuilder().systemCpu(0.5).resourceScope("cgroup-v1").build();
        assertEquals(100 / 0.5, Capacity.estimate(cgroup, 10, 0, SHARE).capacity(), 1e-9,
                "200 workers could do 20000/s, but its CPU quota does 200/s");
        HostLoad machine = cgroup.toBuilder().resourceScope("machine").build();
        assertEquals(20_000, Capacity.estimate(machine, 10, 0, SHARE).capacity(), 1e-9,
                "the machine's CPU is shared with other servers: not this host's bound");
        HostLoad idle = cgroup.toBuilder().systemCpu(0.05).build();
        assertEquals(20_000, Capacity.estimate(idle, 10, 0, SHARE).capacity(), 1e-9, "too little CPU to extrapolate");
    }

    @Test
    void everyHostHoldsAPermitBeforeAnyoneIsOverloaded() {
        List<HostDecision> ds = cycles(new Policy(PolicyConfig.defaults(1000)), 1, List.of(
                host("a", 20, 100, 84), host("b", 20, 100, 84), host("c", 20, 100, 84)));
        for (HostDecision d : ds) {
            assertEquals(HostState.OK, d.state());
            assertTrue(d.directive().isPermit(), d.id() + " holds a standing permit: " + d.directive());
            assertEquals(2, d.directive().targets().size());
            assertFalse(d.directive().targets().contains(d.id()), "never a target of itself");
            assertEquals(0.0, d.directive().fraction());
            assertTrue(d.push());
        }
        inflowPromised(ds).forEach((t, sum) -> assertTrue(sum <= 0.8 * 200 - 84 + 1e-9, t + " promised " + sum));
    }

    @Test
    void theHotHostGetsMostOfThePeersSpareAndNoPeerIsPromisedMoreThanItHas() {
        // the shape: 20 workers x 100 ms each (200/s), 420/s split 60/20/20
        List<HostDecision> ds = cycles(new Policy(PolicyConfig.defaults(1000)), 1, List.of(
                host("a", 20, 100, 252), host("b", 20, 100, 84), host("c", 20, 100, 84)));
        HostDecision a = ds.get(0);
        double aTotal = a.directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(aTotal >= 252 - 200, "a's budgets cover its excess over capacity: " + a.directive());
        HostDecision b = ds.get(1);
        double bTotal = b.directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(aTotal > 4 * bTotal, "the hot host gets most: a " + aTotal + ", b " + bTotal);
        inflowPromised(ds).forEach((t, sum) -> assertTrue(sum <= 0.8 * 200 - 84 + 1e-9, t + " promised " + sum));
        assertFalse(inflowPromised(ds).containsKey("a"), "a has no spare: never a target");
    }

    @Test
    void twoHotHostsAndOnePeerShareItsSpareNeverMore() {
        List<HostDecision> ds = cycles(new Policy(PolicyConfig.defaults(1000)), 1, List.of(
                host("h1", 10, 100, 180), host("h2", 10, 100, 150), host("p", 10, 100, 20)));
        double spare = 0.95 * 100 - 20; // the cluster is beyond its capacity: targets filled to at most 0.95
        double sum = inflowPromised(ds).getOrDefault("p", 0.0);
        assertTrue(sum <= spare + 1e-9, "p promised " + sum + " of " + spare);
        assertTrue(sum >= spare - 2, "and nearly all of it is handed out: " + sum);
        assertTrue(ds.get(0).directive().budgets().get(0) > ds.get(1).directive().budgets().get(0),
                "the hotter source gets more");
    }

    @Test
    void randomClustersNeverPromiseATargetMoreThanItsSpare() {
        Random rnd = new Random(42);
        for (int round = 0; round < 300; round++) {
            int n = 2 + rnd.nextInt(12);
            List<Observation> obs = new ArrayList<>();
            Map<String, double[]> capacityAndRate = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String id = "h" + i;
                long workers = 1 + rnd.nextInt(64);
                double ms = 1 + rnd.nextDouble() * 500;
                double capacity = workers * 1000.0 / ms;
                double rate = rnd.nextDouble() * capacity * 1.6;
                boolean drained = rnd.nextInt(10) == 0;
                // what it moved last interval, up to its whole rate: a need that may exceed every spare
                HostLoad load = Loads.capacity(id, workers, ms, rate).toBuilder()
                        .movedRate(rnd.nextBoolean() ? rnd.nextDouble() * rate : 0).build();
                obs.add(new Observation(id, rnd.nextBoolean() ? "z1" : "z2", load, null, drained, false));
                capacityAndRate.put(id, new double[] {capacity, rate, drained ? 1 : 0});
            }
            // targets are filled to the cluster's mean utilisation, at least the share, at most 0.95
            double load = 0;
            double cap = 0;
            for (double[] cr : capacityAndRate.values()) {
                if (cr[2] == 0) {
                    load += cr[1];
                    cap += cr[0];
                }
            }
            double fill = Math.min(0.95, Math.max(SHARE, cap > 0 ? load / cap : 0));
            Map<String, Double> spare = new HashMap<>();
            capacityAndRate.forEach((id, cr) -> spare.put(id, Math.max(0, fill * cr[0] - cr[1])));
            List<HostDecision> ds = new Policy(PolicyConfig.defaults(1000)).decide(0, obs);
            Map<String, Double> promised = inflowPromised(ds);
            for (Map.Entry<String, Double> e : promised.entrySet()) {
                assertTrue(e.getValue() <= spare.get(e.getKey()) + 1e-6,
                        "round " + round + ": " + e.getKey() + " promised " + e.getValue() + " > " + spare.get(e.getKey()));
            }
            for (HostDecision d : ds) {
                assertTrue(d.directive().targets().size() <= 3);
                assertFalse(d.directive().targets().contains(d.id()));
            }
        }
    }

    @Test
    void aHostFlaggedOverloadedByASharedMachinesCpuStillTakesSpillsWithinItsSpare() {
        // three servers on one machine all read its CPU at 0.96: all "overloaded", yet b and c have idle workers
        Policy p = new Policy(PolicyConfig.defaults(1000));
        List<Observation> obs = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            double rate = id.equals("a") ? 250 : 40;
            obs.add(Observation.polled(id, "", Loads.capacity(id, 20, 100, rate).toBuilder().systemCpu(0.96).build(),
                    false));
        }
        List<HostDecision> ds = cycles(p, 4, obs);
        assertEquals(HostState.OVERLOADED, ds.get(1).state(), "the CPU mark still shows");
        assertEquals(List.of("b", "c"), ds.get(0).directive().targets().stream().sorted().toList());
        inflowPromised(ds).forEach((t, sum) -> assertTrue(sum <= 0.8 * 200 - 40 + 1e-9, t + " promised " + sum));
    }

    @Test
    void watchingOnlySendsNothingAndSaysWhatItWouldDo() {
        PolicyConfig d = PolicyConfig.defaults(1000);
        PolicyConfig watch = new PolicyConfig(d.thresholds(), d.intervalMillis(), d.failAfterMisses(), d.mode(),
                d.share(), d.spread(), d.maxTargets(), d.leaseIntervals(), d.pickDecay(), false);
        List<HostDecision> ds = cycles(new Policy(watch), 1, List.of(host("a", 20, 100, 252), host("b", 20, 100, 84)));
        assertEquals(Directive.LOCAL, ds.get(0).directive());
        assertFalse(ds.get(0).push(), "a dry run sends nothing");
        assertTrue(ds.get(0).reason().startsWith(
                "dry run (offload.enabled=false), nothing sent: would grant a permit: a may spill to b"),
                ds.get(0).reason());
        Policy p = new Policy(watch);
        cycles(p, 1, List.of(host("a", 20, 100, 252), host("b", 20, 100, 84)));
        assertTrue(p.dryRun());
        assertEquals(List.of("b"), p.wouldSend().get("a").targets(), "the would-be permit is kept for the web layer");
    }

    @Test
    void aBusyClusterFillsItsTargetsToItsMeanUtilisationSoTheHotHostsExcessFits() {
        // a has half the workers and the same load: 140/s on 100/s; b and c 140/s on 200/s; the cluster at 84%
        Policy p = new Policy(PolicyConfig.defaults(1000));
        List<HostDecision> ds = cycles(p, 1, List.of(host("a", 10, 100, 140), host("b", 20, 100, 140),
                host("c", 20, 100, 140)));
        assertEquals(420.0 / 500, p.fill(), 1e-9);
        double aTotal = ds.get(0).directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(aTotal >= 40, "a's excess (40/s) fits in its budgets: " + ds.get(0).directive());
        inflowPromised(ds).forEach((t, sum) -> assertTrue(sum <= 0.84 * 200 - 140 + 1e-9, t + " promised " + sum));
        // a lightly loaded cluster keeps the share
        Policy light = new Policy(PolicyConfig.defaults(1000));
        cycles(light, 1, List.of(host("a", 20, 100, 252), host("b", 20, 100, 84), host("c", 20, 100, 84)));
        assertEquals(0.8, light.fill(), 1e-9);
    }

    @Test
    void measuredNeedIsServedBeforeTheOtherHostsFloors() {
        // shape 2: a has half the workers and the same load (140/s on 100/s), b and c 140/s on 200/s; targets are
        // filled to the cluster's 84%, so b and c have 0.84 x 200 - 140 = 28/s each, and a's need (140 - 84 = 56)
        // exceeds each: a gets all of both, and b and c, with no measured need, get no floor out of them
        List<HostDecision> ds = cycles(new Policy(PolicyConfig.defaults(1000)), 1, List.of(host("a", 10, 100, 140),
                host("b", 20, 100, 140), host("c", 20, 100, 140)));
        double aTotal = ds.get(0).directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(56.0, aTotal, 0.2, "a " + ds.get(0).directive());
        assertEquals(Directive.LOCAL, ds.get(1).directive(), "b " + ds.get(1).directive());
        assertEquals(Directive.LOCAL, ds.get(2).directive(), "c " + ds.get(2).directive());
        inflowPromised(ds).forEach((t, sum) -> assertTrue(sum <= 28 + 1e-9, t + " promised " + sum));
    }

    @Test
    void demandTheLastBudgetsDidNotCoverWeighsLikeExcess() {
        // a's pool is backed up at its capacity, so its measured rate shows no excess; its filter counted 50/s that
        // found no budget: that unmet demand is served from b's spare (0.8 x 200 - 40 = 120) before the floors,
        // which share the rest (10 each, 35/s each), each capped at 10% of its own capacity: a 50 + 20, c 20 over
        // its targets (b, and a's 10/s to spare)
        HostLoad backedUp = Loads.capacity("a", 20, 100, 150).toBuilder().overBudgetRate(50).build();
        List<HostDecision> ds = cycles(new Policy(PolicyConfig.defaults(1000)), 1, List.of(
                Observation.polled("a", "", backedUp, false), host("b", 20, 100, 40), host("c", 20, 100, 150)));
        double toA = ds.get(0).directive().budgets().get(0);
        double toC = ds.get(2).directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(70.0, toA, 1e-9, "a " + ds.get(0).directive());
        assertEquals(20.0, toC, 1e-9, "c " + ds.get(2).directive());
    }

    @Test
    void spareWithinTheRatesNoiseIsNone() {
        // b's spare would be 0.8 x 200 - 152 = 8/s, under 5% of its capacity: no budget points at it
        List<HostDecision> ds = cycles(new Policy(PolicyConfig.defaults(1000)), 1, List.of(
                host("a", 20, 100, 100), host("b", 20, 100, 152)));
        assertFalse(inflowPromised(ds).containsKey("b"), ds.toString());
        assertTrue(inflowPromised(ds).containsKey("a"));
    }

    @Test
    void nothingToGainNoPermit() {
        // every host at 90% of capacity: no one has spare below the share
        List<HostDecision> ds = cycles(new Policy(PolicyConfig.defaults(1000)), 1, List.of(
                host("a", 20, 100, 180), host("b", 20, 100, 180), host("c", 20, 100, 180)));
        for (HostDecision d : ds) {
            assertEquals(Directive.LOCAL, d.directive());
            assertTrue(d.reason().contains("serving everything locally"), d.reason());
        }
    }

    @Test
    void anIdlePeerBorrowsTheClustersServiceTime() {
        // c has served nothing yet (no service time of its own): it is still a target, sized like the others
        List<HostDecision> ds = cycles(new Policy(PolicyConfig.defaults(1000)), 1, List.of(
                host("a", 20, 100, 250),
                Observation.polled("c", "", HostLoad.builder("c").queueDelayMillis(0).maxWorkers(20).requestRate(0)
                        .build(), false)));
        assertEquals(List.of("c"), ds.get(0).directive().targets());
        assertTrue(ds.get(0).directive().budgets().get(0) > 100, ds.get(0).directive().toString());
    }

    @Test
    void drainedAndFailedHostsMoveEverythingTheirLoadIsReservedAndTheyAreNotTargets() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        List<Observation> obs = List.of(
                new Observation("a", "", Loads.capacity("a", 20, 100, 100), null, true, false),
                host("b", 20, 100, 20),
                host("c", 20, 100, 20),
                Observation.polled("sick", "", HostLoad.builder("sick").queueDelayMillis(0).maxWorkers(20)
                        .serviceTimeMillis(100).requestRate(10).healthUp(false).build(), false));
        List<HostDecision> ds = cycles(p, 3, obs);
        HostDecision a = ds.get(0);
        assertEquals(HostState.DRAINING, a.state());
        assertEquals(1.0, a.directive().fraction(), 1e-9);
        assertFalse(a.directive().isPermit());
        assertTrue(a.reason().contains("drained by operator"), a.reason());
        HostDecision sick = ds.get(3);
        assertEquals(HostState.FAILED, sick.state());
        assertEquals(1.0, sick.directive().fraction(), 1e-9);
        for (HostDecision d : ds) {
            assertFalse(d.directive().targets().contains("sick"));
            assertFalse(d.directive().targets().contains("a"));
        }
        // b and c each take half of a's 100/s and a third... of sick's 10/s: what is left is promised, no more
        double spareAfterDrains = 0.8 * 200 - 20 - 100.0 / 2 - 10.0 / 2;
        inflowPromised(ds).forEach((t, sum) -> {
            if (!t.equals("a") && !t.equals("sick")) {
                assertTrue(sum <= spareAfterDrains + 1e-9, t + " promised " + sum + " > " + spareAfterDrains);
            }
        });
    }

    @Test
    void theReasonSaysWhereAndHowMuchAndTheLogMarksSpillingStarting() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        HostDecision quiet = p.decide(0, List.of(host("a", 20, 100, 100), host("b", 20, 100, 20))).get(0);
        assertTrue(quiet.reason().startsWith("a may spill to b ("), quiet.reason());
        assertEquals(null, quiet.logLine(), "a standing permit for a healthy host is not a decision");
        HostLoad spilling = Loads.capacity("a", 20, 100, 250).toBuilder().movedRate(45)
                .movedToPeers(new String[] {"b"}).movedToRates(new double[] {45}).build();
        HostDecision hot = p.decide(1000, List.of(Observation.polled("a", "", spilling, false),
                host("b", 20, 100, 65))).get(0);
        assertTrue(hot.reason().endsWith("; spilling 45 req/s"), hot.reason());
        assertTrue(hot.logLine() != null, "spilling started: logged");
    }
}
