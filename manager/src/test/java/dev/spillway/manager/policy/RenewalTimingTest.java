package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.OffloadMode;
import org.junit.jupiter.api.Test;

/** When an unchanged permit is sent again: late enough to spare the sends, early enough for one retry. */
class RenewalTimingTest {
    private static PolicyConfig lease(int intervals) {
        PolicyConfig d = PolicyConfig.defaults(1000);
        return new PolicyConfig(d.thresholds(), d.intervalMillis(), d.failAfterMisses(), OffloadMode.REDIRECT,
                d.share(), d.spread(), d.maxTargets(), intervals, d.pickDecay(), true);
    }

    @Test
    void aFailedRenewalIsRetriedOnceBeforeTheLeaseEnds() {
        for (int intervals = 2; intervals <= 100; intervals++) {
            PolicyConfig c = lease(intervals);
            long renew = Policy.renewAfterMillis(c);
            // The first cycle at or after 'renew' sends; if that send fails the next cycle retries: both before the end.
            long firstTry = (renew + c.intervalMillis() - 1) / c.intervalMillis() * c.intervalMillis();
            long retry = firstTry + c.intervalMillis();
            assertTrue(retry < c.leaseMillis(), intervals + " intervals: retry at " + retry + " ms, lease "
                    + c.leaseMillis() + " ms");
            assertTrue(renew <= c.leaseMillis() / 2, "never later than half the lease");
        }
    }

    @Test
    void shortLeasesAreRenewedEveryCycleAndTheDefaultEverySecondCycle() {
        assertEquals(0, Policy.renewAfterMillis(lease(2)));
        assertEquals(750, Policy.renewAfterMillis(lease(3)));
        assertEquals(1750, Policy.renewAfterMillis(lease(4)));
        assertEquals(4, PolicyConfig.defaults(1000).leaseIntervals());
    }
}
