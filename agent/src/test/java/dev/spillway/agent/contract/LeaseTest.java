package dev.spillway.agent.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeaseTest {
    private static final long MS = 1_000_000L;

    @Test
    void holdsUntilItsLengthHasPassedAndNotANanosecondLonger() {
        long t0 = 5_000 * MS;
        Lease l = Lease.grantedAt(t0, 3_000);
        assertTrue(l.holdsAt(t0));
        assertTrue(l.holdsAt(t0 + 3_000 * MS - 1));
        assertFalse(l.holdsAt(t0 + 3_000 * MS));
        assertFalse(l.holdsAt(t0 + 60_000 * MS));
    }

    @Test
    void remainingIsAtLeastOneWhileItHoldsAndZeroAfter() {
        Lease l = Lease.grantedAt(0, 3_000);
        assertEquals(3_000, l.remainingMillisAt(0));
        assertEquals(1_000, l.remainingMillisAt(2_000 * MS));
        assertEquals(1, l.remainingMillisAt(2_999_999_999L), "a few ns left still reads as 1 ms, not 0");
        assertEquals(0, l.remainingMillisAt(3_000 * MS));
        assertEquals(0, l.remainingMillisAt(9_000 * MS));
    }

    @Test
    void aRenewalIsANewLeaseFromTheTimeItArrives() {
        Lease first = Lease.grantedAt(0, 4_000);
        Lease renewed = Lease.grantedAt(2_000 * MS, 4_000);
        assertFalse(first.holdsAt(5_000 * MS));
        assertTrue(renewed.holdsAt(5_000 * MS));
        assertEquals(1_000, renewed.remainingMillisAt(5_000 * MS));
    }

    @Test
    void theNanoClockWrappingAroundDoesNotEndALease() {
        long nearTheTop = Long.MAX_VALUE - 1_000 * MS;
        Lease l = Lease.grantedAt(nearTheTop, 3_000);
        long afterTheWrap = nearTheTop + 2_000 * MS; // overflows to a negative reading
        assertTrue(afterTheWrap < 0);
        assertTrue(l.holdsAt(afterTheWrap));
        assertEquals(1_000, l.remainingMillisAt(afterTheWrap));
        assertFalse(l.holdsAt(afterTheWrap + 1_000 * MS));
    }

    @Test
    void aHugeLengthNeverWrapsIntoThePast() {
        long now = 123 * MS;
        Lease l = Lease.grantedAt(now, Long.MAX_VALUE);
        assertTrue(l.holdsAt(now));
        assertTrue(l.holdsAt(now + 100L * 365 * 86_400_000L * MS), "still held a century later");
    }

    @Test
    void endedHoldsAtNoTime() {
        for (long t : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}) {
            assertFalse(Lease.ENDED.holdsAt(t));
            assertEquals(0, Lease.ENDED.remainingMillisAt(t));
        }
    }

    @Test
    void aNegativeLengthIsRefusedWithTheValueNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lease.grantedAt(0, -5));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
    }
}
