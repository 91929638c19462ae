package dev.spillway.scripted;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stand-in filter keeps a directive or permit exactly as long as its lease, on the clock it is given. */
class ScriptedFilterTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(42 * MS);
    private final ScriptedFilter filter = new ScriptedFilter(now::get);

    @Test
    void aDirectiveHoldsForItsLeaseThenReadsLocal() {
        filter.applyDirective("REDIRECT", new String[] {"b"}, 0.5, 2_000);
        assertEquals("REDIRECT", filter.getDirectiveMode());
        assertArrayEquals(new String[] {"b"}, filter.getDirectiveTargets());
        assertEquals(2_000, filter.getDirectiveLeaseRemainingMillis());
        now.addAndGet(1_500 * MS);
        assertEquals(500, filter.getDirectiveLeaseRemainingMillis());
        now.addAndGet(500 * MS);
        assertEquals("LOCAL", filter.getDirectiveMode(), "the lease ended");
        assertEquals(0, filter.getDirectiveLeaseRemainingMillis());
        assertArrayEquals(new String[0], filter.getDirectiveTargets());
    }

    @Test
    void aRenewedPermitHoldsFromTheRenewal() {
        filter.applyPermit("PROXY", new String[] {"b", "c"}, new double[] {10, 5}, 1_000);
        now.addAndGet(800 * MS);
        filter.applyPermit("PROXY", new String[] {"b", "c"}, new double[] {10, 5}, 1_000);
        now.addAndGet(800 * MS);
        assertEquals("PROXY", filter.getDirectiveMode(), "renewed at 800 ms, so it holds at 1600 ms");
        assertArrayEquals(new double[] {10, 5}, filter.getPermitBudgets());
        now.addAndGet(200 * MS);
        assertEquals("LOCAL", filter.getDirectiveMode());
    }

    @Test
    void clearEndsAtOnceAndABadDirectiveChangesNothing() {
        filter.applyDirective("PROXY", new String[] {"b"}, 1.0, 60_000);
        assertThrows(IllegalArgumentException.class,
                () -> filter.applyDirective("PROXY", new String[] {"b"}, 2.0, 60_000));
        assertEquals("PROXY", filter.getDirectiveMode());
        filter.clearDirective();
        assertEquals("LOCAL", filter.getDirectiveMode());
        assertEquals(0, filter.getDirectiveLeaseRemainingMillis());
    }
}
