package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a host counts as full of sessions ({@code sessions.threshold}), at the exact boundary and with unknowns. */
class SessionThresholdRuleTest {
    static Candidate host(long sessions, long capacity, double threshold) {
        return new Candidate("h", "", HostState.OK, true, true, sessions, capacity, 0.1, 0, threshold);
    }

    @Test
    void aHostExactlyAtItsThresholdIsFullAndOneUnderIsNot() {
        // 0.56 × 100 is 56.00000000000001 in doubles (0.07, 0.14, 0.28 alike): 56 sessions must still reach it
        for (double t : new double[] {0.07, 0.14, 0.28, 0.56, 0.7, 1.0}) {
            long at = Math.round(t * 100);
            assertTrue(host(at, 100, t).sessionsFull(), t + ": " + at + " of 100");
            assertFalse(host(at, 100, t).eligible());
            assertFalse(host(at, 100, t).mayTakeSpill());
            assertFalse(host(at - 1, 100, t).sessionsFull(), t + ": " + (at - 1) + " of 100");
            assertTrue(host(at - 1, 100, t).eligible());
        }
    }

    @Test
    void unknownSessionsOrCapacityNeverHoldAHostBack() {
        assertFalse(host(1_000_000, -1, 0.5).sessionsFull());
        assertFalse(host(-1, 100, 0.5).sessionsFull());
    }

    @Test
    void aCapacityOfZeroIsAlwaysFull() {
        assertTrue(host(0, 0, 1.0).sessionsFull());
    }
}
