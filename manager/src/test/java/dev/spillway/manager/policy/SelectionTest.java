package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionTest {
    private final TargetSelector selector = new TargetSelector(0.1);

    private static Candidate ok(String id, String zone, double stress) {
        return new Candidate(id, zone, HostState.OK, true, true, -1, -1, stress, 0);
    }

    private static List<String> ids(List<Candidate> cs) {
        return cs.stream().map(Candidate::id).toList();
    }

    @Test
    void lowerStressFirstAndTheSourceIsLeftOut() {
        List<Candidate> hosts = List.of(ok("a", "", 0.9), ok("b", "", 0.5), ok("c", "", 0.2));
        assertEquals(List.of("c", "b"), ids(selector.order("a", "", hosts)));
    }

    @Test
    void sameZoneBeforeLowerStress() {
        List<Candidate> hosts = List.of(ok("b", "eu", 0.6), ok("c", "us", 0.1), ok("d", "eu", 0.3));
        assertEquals(List.of("d", "b", "c"), ids(selector.order("a", "eu", hosts)));
        assertEquals(List.of("c", "d", "b"), ids(selector.order("a", "", hosts)), "no zone: stress alone");
    }

    @Test
    void onlyOkHealthyAppHealthyUnderCapacity() {
        List<Candidate> hosts = List.of(
                ok("ok", "", 0.5),
                new Candidate("over", "", HostState.OVERLOADED, true, true, -1, -1, 0.1, 0),
                new Candidate("failed", "", HostState.FAILED, true, true, -1, -1, 0.1, 0),
                new Candidate("drained", "", HostState.DRAINING, true, true, -1, -1, 0.1, 0),
                new Candidate("sick", "", HostState.OK, false, true, -1, -1, 0.1, 0),
                new Candidate("appsick", "", HostState.OK, true, false, -1, -1, 0.1, 0),
                new Candidate("full", "", HostState.OK, true, true, 500, 500, 0.1, 0),
                new Candidate("roomy", "", HostState.OK, true, true, 499, 500, 0.4, 0),
                new Candidate("nostress", "", HostState.OK, true, true, -1, -1, Double.NaN, 0));
        assertEquals(List.of("roomy", "ok"), ids(selector.order("x", "", hosts)));
    }

    @Test
    void recentPicksSpreadTheChoice() {
        List<Candidate> hosts = List.of(new Candidate("b", "", HostState.OK, true, true, -1, -1, 0.30, 3),
                new Candidate("c", "", HostState.OK, true, true, -1, -1, 0.35, 0));
        // b: 0.30 + 0.1 * 3 = 0.60 > c: 0.35
        assertEquals(List.of("c", "b"), ids(selector.order("a", "", hosts)));
    }

    @Test
    void policySpreadsRepeatedRoutesOverEqualHosts() {
        // A hot host spills to b: requests moved count as picks, and b goes behind its equals for new requests.
        Policy p = new Policy(PolicyConfig.defaults(1000));
        for (int cycle = 0; cycle < 3; cycle++) {
            p.decide(cycle * 1000L, List.of(
                    Observation.polled("hot1", "", dev.spillway.agent.contract.HostLoad.builder("hot1")
                            .queueDelayMillis(300).movedToPeers(new String[] {"b"}).movedToRates(new double[] {40})
                            .build(), false),
                    Observation.polled("b", "", Loads.delay("b", 20), false),
                    Observation.polled("c", "", Loads.delay("c", 20), false),
                    Observation.polled("d", "", Loads.delay("d", 20), false)));
        }
        List<String> route = p.route("").stream().map(Candidate::id).toList();
        assertEquals(3, route.size());
        // hot1 moved requests to b; b now carries picks and ranks behind c, d
        assertEquals("b", route.get(2), "the host picked recently goes last: " + route);
    }
}
