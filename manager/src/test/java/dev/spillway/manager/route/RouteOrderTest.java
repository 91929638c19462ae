package dev.spillway.manager.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.manager.policy.Candidate;
import dev.spillway.manager.policy.HostState;
import dev.spillway.manager.policy.TargetSelector;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one ordering of hosts for new clients: picks spread equal hosts, round-trip times reorder per network. */
class RouteOrderTest {
    static Candidate ok(String id, double stress) {
        return new Candidate(id, "", HostState.OK, true, true, -1, -1, stress, 0);
    }

    static RouteOrder order(List<Candidate> hosts, Map<String, HostFacts> facts, double spread) {
        TargetSelector selector = new TargetSelector(spread);
        return new RouteOrder(zone -> selector.order(null, zone, hosts), selector::score, () -> facts,
                new AnswerPicks(0.8, 60_000), spread, 50, 1.0);
    }

    static InetAddress ip(String s) {
        return HostAddress.literal(s);
    }

    @Test
    void repeatedAnswersSpreadOverEqualHosts() {
        RouteOrder o = order(List.of(ok("a", 0.3), ok("b", 0.3), ok("c", 0.3)), Map.of(), 0.1);
        Map<String, Integer> firsts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            List<RoutedHost> answer = o.order("", null);
            o.answered(answer);
            firsts.merge(answer.get(0).id(), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), firsts, "equal hosts come first in turn");
    }

    @Test
    void aLessLoadedHostStillComesFirstMoreOften() {
        RouteOrder o = order(List.of(ok("busy", 0.6), ok("idle", 0.1)), Map.of(), 0.1);
        Map<String, Integer> firsts = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            List<RoutedHost> answer = o.order("", null);
            o.answered(answer);
            firsts.merge(answer.get(0).id(), 1, Integer::sum);
        }
        assertTrue(firsts.get("idle") > firsts.getOrDefault("busy", 0), firsts.toString());
    }

    @Test
    void eachClientNetworkGetsItsOwnNearestHostFirst() {
        Map<String, HostFacts> facts = Map.of(
                "a", new HostFacts("a", ip("10.0.0.1"), Map.of("198.51.100.0/24", 5.0, "203.0.113.0/24", 90.0)),
                "b", new HostFacts("b", ip("10.0.0.2"), Map.of("198.51.100.0/24", 80.0, "203.0.113.0/24", 4.0)));
        RouteOrder o = order(List.of(ok("a", 0.2), ok("b", 0.2)), facts, 0);
        assertEquals("a", o.order("", ip("198.51.100.77")).get(0).id());
        assertEquals("b", o.order("", ip("203.0.113.9")).get(0).id());
        assertEquals(5.0, o.order("", ip("198.51.100.77")).get(0).rttMillis());
        // a network nobody measured: load, then id
        assertEquals(List.of("a", "b"), o.order("", ip("192.0.2.1")).stream().map(RoutedHost::id).toList());
        assertTrue(Double.isNaN(o.order("", ip("192.0.2.1")).get(0).rttMillis()), "unknown is NaN, never 0");
    }

    @Test
    void roundTripTimeWeighsAgainstLoadByTheDocumentedScale() {
        // 40 ms nearer is 0.8 of score at 50 ms per unit: beats 0.5 more stress, loses to 1.0 more
        Map<String, HostFacts> facts = Map.of(
                "near", new HostFacts("near", ip("10.0.0.1"), Map.of("198.51.100.0/24", 10.0)),
                "far", new HostFacts("far", ip("10.0.0.2"), Map.of("198.51.100.0/24", 50.0)));
        assertEquals("near", order(List.of(ok("near", 0.7), ok("far", 0.2)), facts, 0)
                .order("", ip("198.51.100.1")).get(0).id());
        assertEquals("far", order(List.of(ok("near", 1.2), ok("far", 0.2)), facts, 0)
                .order("", ip("198.51.100.1")).get(0).id());
    }

    @Test
    void aHostThatNeverMeasuredTheNetworkCountsAsTheMeanOfThoseThatDid() {
        Map<String, HostFacts> facts = Map.of(
                "x", new HostFacts("x", ip("10.0.0.1"), Map.of("198.51.100.0/24", 10.0)),
                "y", new HostFacts("y", ip("10.0.0.2"), Map.of("198.51.100.0/24", 30.0)),
                "z", new HostFacts("z", ip("10.0.0.3"), Map.of()));
        List<String> ids = order(List.of(ok("x", 0.2), ok("y", 0.2), ok("z", 0.2)), facts, 0)
                .order("", ip("198.51.100.1")).stream().map(RoutedHost::id).toList();
        assertEquals(List.of("x", "z", "y"), ids);
    }

    @Test
    void aSlowerApplicationHealthAnswerWeighsLikeRoundTripTime() {
        // 30 ms slower app-health = 0.6 of score at 50 ms per unit; unknown counts as the mean of the known
        Map<String, HostFacts> facts = Map.of(
                "slow", new HostFacts("slow", ip("10.0.0.1"), Map.of(), 40),
                "fast", new HostFacts("fast", ip("10.0.0.2"), Map.of(), 10),
                "unknown", new HostFacts("unknown", ip("10.0.0.3"), Map.of(), Double.NaN));
        List<RoutedHost> order = order(List.of(ok("slow", 0.2), ok("fast", 0.2), ok("unknown", 0.2)), facts, 0)
                .order("", null);
        assertEquals(List.of("fast", "unknown", "slow"), order.stream().map(RoutedHost::id).toList());
        assertEquals(0.2 + 10 / 50.0, order.get(0).score(), 1e-9);
        assertEquals("slow", order(List.of(ok("slow", 0.2), ok("fast", 0.9)), facts, 0).order("", null).get(0).id(),
                "0.7 more stress outweighs 30 ms of app-health time");
    }

    static Candidate withSessions(String id, double stress, long sessions, long capacity) {
        return new Candidate(id, "", HostState.OK, true, true, sessions, capacity, stress, 0);
    }

    @Test
    void moreSpareSessionRoomComesFirstAmongEquals() {
        // 90 of 100 sessions adds 0.9, 10 of 100 adds 0.1 (weight 1.0); unknown capacity adds nothing
        List<RoutedHost> order = order(List.of(withSessions("crowded", 0.2, 90, 100),
                withSessions("roomy", 0.2, 10, 100), withSessions("unlimited", 0.2, 500, -1)), Map.of(), 0)
                .order("", null);
        assertEquals(List.of("unlimited", "roomy", "crowded"), order.stream().map(RoutedHost::id).toList());
        assertEquals(0.2 + 0.1, order.get(1).score(), 1e-9);
        assertEquals(0.2 + 0.9, order.get(2).score(), 1e-9);
        // the term weighs against load: 0.8 of session share loses to 1.0 more stress
        assertEquals("crowded", order(List.of(withSessions("crowded", 0.2, 90, 100),
                withSessions("roomy", 1.2, 10, 100)), Map.of(), 0).order("", null).get(0).id());
    }

    @Test
    void aSessionWeightOfZeroLeavesTheOrderToLoad() {
        List<Candidate> hosts = List.of(withSessions("crowded", 0.2, 90, 100), withSessions("roomy", 0.3, 10, 100));
        TargetSelector selector = new TargetSelector(0);
        RouteOrder o = new RouteOrder(zone -> selector.order(null, zone, hosts), selector::score, Map::of,
                new AnswerPicks(0.8, 60_000), 0, 50, 0);
        assertEquals("crowded", o.order("", null).get(0).id());
    }

    @Test
    void anAgentSlowToAnswerItsPollComesAfterAFastOne() {
        // 100 ms slower to answer = 2.0 of score at 50 ms per unit; unknown counts as the mean of the known
        Map<String, HostFacts> facts = Map.of(
                "slow", new HostFacts("slow", ip("10.0.0.1"), Map.of(), Double.NaN, 120),
                "fast", new HostFacts("fast", ip("10.0.0.2"), Map.of(), Double.NaN, 20),
                "unknown", new HostFacts("unknown", ip("10.0.0.3"), Map.of(), Double.NaN, Double.NaN));
        List<RoutedHost> order = order(List.of(ok("slow", 0.2), ok("fast", 0.2), ok("unknown", 0.2)), facts, 0)
                .order("", null);
        assertEquals(List.of("fast", "unknown", "slow"), order.stream().map(RoutedHost::id).toList());
        assertEquals(0.2 + 20 / 50.0, order.get(0).score(), 1e-9);
        assertEquals(0.2 + 70 / 50.0, order.get(1).score(), 1e-9);
    }

    @Test
    void networksAreSlash24AndSlash48() {
        assertEquals("198.51.100.0/24", ClientNetwork.key(ip("198.51.100.200")));
        assertEquals("2001:db8:1::/48", ClientNetwork.key(ip("2001:db8:1:ffff::1")));
    }
}
