package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.OffloadMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A CPU-bound source still pays part of the CPU of the requests it moves (a proxied page's relay, a 307): its need
 * is sized so that what it keeps plus what moving the rest costs fits the part of its capacity it may use.
 */
class MoveCostTest {
    private static final double SHARE = 0.8;

    /** 20 workers of 10 ms (2000/s: never the bound), in a CPU cgroup at {@code cpu} of its quota. */
    private static HostLoad capped(String id, double rate, double moved, double cpu) {
        return Loads.capacity(id, 20, 10, rate).toBuilder().movedRate(moved).systemCpu(cpu).runtimeCpu(0)
                .resourceScope("cgroup-v1").build();
    }

    @Test
    void aCpuBoundSourcesCapacityCountsTheCpuItsMovedRequestsSpent() {
        // a full quota: 150 pages served and 50 relayed at 0.21 of a page each
        Capacity proxying = Capacity.estimate(capped("a", 200, 50, 1.0), 10, 0, SHARE, MoveCost.PROXY);
        assertEquals(150 + 0.21 * 50, proxying.capacity(), 1e-9);
        assertEquals(MoveCost.PROXY, proxying.moveCost());
        Capacity free = Capacity.estimate(capped("a", 200, 50, 1.0), 10, 0, SHARE);
        assertEquals(150, free.capacity(), 1e-9, "moves that cost nothing: only served pages spent the CPU");
    }

    @Test
    void theNeedIsTheExcessOverOneMinusTheMoveCost() {
        // capacity 100/s, own rate 130/s: excess 130 - 80 = 50; moving m costs 0.21 m, so m = 50 / (1 - 0.21)
        Capacity proxying = new Capacity(100, 130, 0, 10, 20, MoveCost.PROXY);
        assertEquals(50 / (1 - 0.21), proxying.need(SHARE, 0), 1e-9);
        double m = proxying.need(SHARE, 0);
        assertEquals(SHARE * 100, 130 - m + 0.21 * m, 1e-9, "what it keeps plus the relays' cost fills its share");
        assertEquals((50 + 10) / (1 - 0.10), new Capacity(100, 130, 0, 10, 20, MoveCost.REDIRECT).need(SHARE, 10),
                1e-9, "requests that found no budget count the same way");
        assertEquals(50, new Capacity(100, 130, 0, 10, 20).need(SHARE, 0), 1e-9, "a worker-bound source: excess");
    }

    @Test
    void aHostBoundByItsWorkersPaysNoMoveCost() {
        // 10 workers of 100 ms (100/s) with half its quota used at 100/s (200/s by CPU): moving frees the worker
        HostLoad load = Loads.capacity("a", 10, 100, 100).toBuilder().movedRate(20).systemCpu(0.5)
                .resourceScope("cgroup-v1").build();
        Capacity c = Capacity.estimate(load, 100, 0, SHARE, MoveCost.PROXY);
        assertEquals(100, c.capacity(), 1e-9);
        assertEquals(0, c.moveCost());
    }

    @Test
    void aMoveCostOfAWholePageOrMoreIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Capacity(100, 130, 0, 10, 20, 1.0));
        assertTrue(e.getMessage().contains("moveCost 1.0"), e.getMessage());
    }

    @Test
    void aProxyingSourceGetsMoreBudgetThanARedirectingOneAtTheSameExcess() {
        // a's quota used up at 200/s (before it moved anything), b and c at 42% of 192/s, each CPU its own quota's
        List<Observation> obs = List.of(
                Observation.polled("a", "", capped("a", 200, 0, 1.0), false),
                Observation.polled("b", "", capped("b", 81, 0, 81.0 / 192), false),
                Observation.polled("c", "", capped("c", 81, 0, 81.0 / 192), false));
        Policy proxy = new Policy(config(OffloadMode.PROXY));
        Policy redirect = new Policy(config(OffloadMode.REDIRECT));
        List<HostDecision> byProxy = proxy.decide(0, obs);
        List<HostDecision> byRedirect = redirect.decide(0, obs);
        double proxied = byProxy.get(0).directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
        double redirected = byRedirect.get(0).directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(proxied > redirected, "proxy " + proxied + " > redirect " + redirected);
        for (Map.Entry<Policy, List<HostDecision>> run : Map.of(proxy, byProxy, redirect, byRedirect).entrySet()) {
            Map<String, Capacity> capacities = run.getKey().capacities();
            PermitPolicyTest.inflowPromised(run.getValue()).forEach((target, sum) -> assertTrue(
                    sum <= capacities.get(target).spare() + 1e-9,
                    target + " promised " + sum + " of its spare " + capacities.get(target).spare()));
        }
    }

    @Test
    void twoHotSourcesShortOfSpareShareItByNeedAndNeverBeyondIt() {
        PermitPlanner planner = new PermitPlanner(3);
        // equal excess (50/s over 0.8 x 100); one is CPU-bound and proxies, the other is bound by its workers
        PermitPlanner.Source cpu = new PermitPlanner.Source("cpu", "", new Capacity(100, 130, 0, 10, 20, 0.21));
        PermitPlanner.Source workers = new PermitPlanner.Source("wk", "", new Capacity(100, 130, 0, 100, 10));
        Map<String, PermitPlanner.Grant> grants = planner.plan(List.of(cpu, workers),
                List.of(new PermitPlanner.Target("t", "", 60)), SHARE);
        double toCpu = grants.get("cpu").total();
        double toWorkers = grants.get("wk").total();
        assertTrue(toCpu + toWorkers <= 60 + 1e-9, "t promised " + (toCpu + toWorkers) + " of 60");
        assertEquals(1 / (1 - 0.21), toCpu / toWorkers, 0.02, "shared by need: " + toCpu + " vs " + toWorkers);
    }

    private static PolicyConfig config(OffloadMode mode) {
        PolicyConfig d = PolicyConfig.defaults(1000);
        return new PolicyConfig(d.thresholds(), d.intervalMillis(), d.failAfterMisses(), mode, d.share(), d.spread(),
                d.maxTargets(), d.leaseIntervals(), d.pickDecay(), d.enabled());
    }
}
