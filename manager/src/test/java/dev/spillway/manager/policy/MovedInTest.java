package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.agent.contract.HostLoad;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A target's own rate: its request rate less what was moved to it, counted by the target itself (same window as its
 * request rate) when its agent reports it, else summed from the sources' reports.
 */
class MovedInTest {
    private static final Map<String, Double> SERVICE_MS = Map.of("a", 100.0, "b", 100.0, "c", 100.0);

    /** 20 workers x 100 ms = 200 req/s each. */
    private static HostLoad load(String id, double rate) {
        return Loads.capacity(id, 20, 100, rate);
    }

    private static HostLoad source(String id, double rate, String target, double moved) {
        return load(id, rate).toBuilder().movedRate(moved).movedToPeers(new String[] {target})
                .movedToRates(new double[] {moved}).build();
    }

    private static ClusterCapacity estimate(HostLoad... loads) {
        List<Observation> obs = java.util.Arrays.stream(loads)
                .map(l -> Observation.polled(l.getHostId(), "", l, false)).toList();
        return ClusterCapacity.estimate(obs, SERVICE_MS::get, 0.8);
    }

    @Test
    void aTargetThatCountsItsMovedInRequestsGetsItsOwnRateFromThem() {
        // Right after a step: a's report covers its own window and says 20 req/s went to b, while b's rate holds
        // 80 moved in by its own count.
        HostLoad b = load("b", 100).toBuilder().movedInRate(80).build();
        ClusterCapacity c = estimate(source("a", 240, "b", 20), b, load("c", 80));
        assertEquals(20.0, c.of("b").ownRate(), 1e-9, "100 - 80 counted by b, not 100 - 20 from a's report");
        assertEquals(0.8 * 200 - 20, c.of("b").spare(), 1e-9);
    }

    @Test
    void aTargetThatMovedInNothingByItsOwnCountIsNotCutByAStaleSourceReport() {
        HostLoad b = load("b", 100).toBuilder().movedInRate(0).build();
        ClusterCapacity c = estimate(source("a", 240, "b", 60), b, load("c", 80));
        assertEquals(100.0, c.of("b").ownRate(), 1e-9);
    }

    @Test
    void aHostWithoutTheFigureFallsBackToTheSourcesReports() {
        HostLoad old = load("b", 100); // an older agent or filter: movedInRate unknown (NaN)
        assertEquals(Double.NaN, old.getMovedInRate());
        ClusterCapacity c = estimate(source("a", 240, "b", 20), old, load("c", 80));
        assertEquals(80.0, c.of("b").ownRate(), 1e-9, "100 - 20 as a reported it");
    }

    @Test
    void eachHostIsReadOnItsOwn() {
        HostLoad b = load("b", 100).toBuilder().movedInRate(80).build();
        HostLoad c = load("c", 100);
        HostLoad a = load("a", 300).toBuilder().movedToPeers(new String[] {"b", "c"})
                .movedToRates(new double[] {20, 30}).build();
        Map<String, Double> in = MovedIn.perHost(Map.of("a", a, "b", b, "c", c));
        assertEquals(Map.of("b", 80.0, "c", 30.0), in);
    }
}
