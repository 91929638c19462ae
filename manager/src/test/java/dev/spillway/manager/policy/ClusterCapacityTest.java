package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The capacity arithmetic of one cycle: fill follows a busy cluster, capped; a new host borrows the median. */
class ClusterCapacityTest {
    private static Observation host(String id, long workers, double rate) {
        return Observation.polled(id, "", Loads.capacity(id, workers, 100, rate), false);
    }

    @Test
    void aQuietClusterFillsTargetsToTheShareABusyOneToItsMeanUtilisationAtMost95Percent() {
        Map<String, Double> st = Map.of("a", 100.0, "b", 100.0);
        // 10 workers x 100 ms = 100 req/s each
        ClusterCapacity quiet = ClusterCapacity.estimate(List.of(host("a", 10, 50), host("b", 10, 10)), st::get, 0.8);
        assertEquals(0.8, quiet.fill(), 1e-9);
        assertEquals(100.0, quiet.of("a").capacity(), 1e-9);
        assertEquals(70.0, quiet.of("b").spare(), 1e-9, "0.8 x 100 - 10");

        ClusterCapacity busy = ClusterCapacity.estimate(List.of(host("a", 10, 120), host("b", 10, 60)), st::get, 0.8);
        assertEquals(0.9, busy.fill(), 1e-9, "(120 + 60) / 200");
        assertEquals(30.0, busy.of("b").spare(), 1e-9, "0.9 x 100 - 60");

        ClusterCapacity full = ClusterCapacity.estimate(List.of(host("a", 10, 150), host("b", 10, 90)), st::get, 0.8);
        assertEquals(ClusterCapacity.MAX_FILL, full.fill(), 1e-9);
    }

    @Test
    void aHostThatServedNothingYetBorrowsTheMedianServiceTime() {
        Map<String, Double> st = new java.util.HashMap<>(Map.of("a", 100.0, "b", 200.0, "c", 300.0));
        st.put("new", Double.NaN);
        ClusterCapacity c = ClusterCapacity.estimate(List.of(host("a", 10, 10), host("b", 10, 10), host("c", 10, 10),
                host("new", 20, 0)), st::get, 0.8);
        assertEquals(100.0, c.of("new").capacity(), 1e-9, "20 workers / 200 ms (the median)");
    }
}
