package dev.spillway.agent.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochFenceTest {

    @Test
    void refusesOlderEpochsAndCountsThem() {
        EpochFence fence = new EpochFence();
        List<String> applied = new ArrayList<>();
        assertTrue(fence.admit(0, () -> applied.add("alone")), "before any leader, unfenced directives pass");
        assertTrue(fence.admit(3, () -> applied.add("leader 3")));
        assertTrue(fence.admit(3, () -> applied.add("leader 3 renews")), "a leader renews its own");
        assertFalse(fence.admit(2, () -> applied.add("former leader 2")));
        assertFalse(fence.admit(0, () -> applied.add("unfenced")), "unfenced is older than any leader");
        assertTrue(fence.admit(9, () -> applied.add("leader 9")));
        assertFalse(fence.admit(3, () -> applied.add("leader 3 again")));
        assertEquals(List.of("alone", "leader 3", "leader 3 renews", "leader 9"), applied);
        assertEquals(9, fence.highest());
        assertEquals(3, fence.refused());
    }

    @Test
    void anEpochIsHeardEvenWhenApplyingFails() {
        EpochFence fence = new EpochFence();
        assertThrows(IllegalArgumentException.class, () -> fence.admit(5, () -> {
            throw new IllegalArgumentException("unknown target");
        }));
        assertEquals(5, fence.highest(), "a leader of epoch 5 exists even if its directive was bad");
        assertFalse(fence.admit(4, () -> { }));
    }

    @Test
    void aNegativeEpochIsRefusedWithTheExpectedForm() {
        EpochFence fence = new EpochFence();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fence.admit(-1, () -> { }));
        assertTrue(e.getMessage().contains("-1") && e.getMessage().contains("0 or more"), e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> Directive.LOCAL.withEpoch(-2));
        assertTrue(d.getMessage().contains("epoch -2"), d.getMessage());
    }

    @Test
    void oldCallersKeepEpochZero() {
        Directive d = Directive.permit(OffloadMode.REDIRECT, List.of("b"), List.of(10.0), 3000);
        assertEquals(Directive.UNFENCED, d.epoch());
        assertEquals(4, d.withEpoch(4).epoch());
        assertEquals(d.budgets(), d.withEpoch(4).budgets());
    }
}
