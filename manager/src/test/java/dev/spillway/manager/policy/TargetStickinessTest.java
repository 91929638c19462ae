package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host keeps the targets it holds while they stay nearly as good as any other (a second's noise in the spare
 * capacity must not re-send a thousand permits), and moves when another target is clearly better.
 */
class TargetStickinessTest {
    private final Policy policy = new Policy(PolicyConfig.defaults(1000));
    private long now;

    /** a hot (250/s on 200/s); b, c, d and e 20 workers x 100 ms, each with the given request rate. */
    private HostDecision cycle(double e) {
        List<Observation> obs = List.of(host("a", 250), host("b", 80), host("c", 80), host("d", 80), host("e", e));
        now += 1000;
        return policy.decide(now, obs).get(0);
    }

    private static Observation host(String id, double rate) {
        return Observation.polled(id, "", Loads.capacity(id, 20, 100, rate), false);
    }

    @Test
    void aSlightlyBetterTargetDoesNotSwapTheHeldOnesButAClearlyBetterOneDoes() {
        HostDecision first = cycle(90);
        assertEquals(List.of("b", "c", "d"), first.directive().targets(), "e has the least spare (70 against 80)");

        HostDecision noise = cycle(74);   // e now has 86/s to spare, 7% more than the others' 80
        assertEquals(List.of("b", "c", "d"), noise.directive().targets(), "held targets kept");

        HostDecision clear = cycle(10);   // e has 150/s to spare, nearly twice the others'
        assertTrue(clear.directive().targets().contains("e"), "a clearly better target is taken: " + clear.directive());
        assertFalse(clear.directive().targets().containsAll(List.of("b", "c", "d")));
    }
}
