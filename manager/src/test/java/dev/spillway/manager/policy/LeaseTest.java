package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.Lease;
import dev.spillway.agent.contract.OffloadMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manager's renewals against the lease as every filter keeps it ({@link Lease}, on the filters' nano clock). */
class LeaseTest {
    private static final Directive D = new Directive(OffloadMode.REDIRECT, List.of("b"), 0.3, 3000);

    @Test
    void renewedEveryIntervalItNeverLapsesAndWithoutRenewalItEndsAfterThreeIntervals() {
        DirectiveTracker tracker = new DirectiveTracker(750);
        Lease lease = null;
        for (long now = 0; now <= 20_000; now += 1000) {
            if (tracker.due(D, "REDIRECT", now)) {
                tracker.sent(D, now);
                lease = Lease.grantedAt(nanos(now), D.leaseMillis()); // a renewal is a new lease from now
            }
            assertTrue(lease.holdsAt(nanos(now + 999)), "lapsed at " + now);
        }
        // the manager stops after renewing at 20 000
        assertTrue(lease.holdsAt(nanos(22_999)));
        assertFalse(lease.holdsAt(nanos(23_000)));
        assertEquals(3_000, lease.remainingMillisAt(nanos(20_000)), "ends at 23 000");
    }

    private static long nanos(long millis) {
        return millis * 1_000_000L;
    }

    @Test
    void changesGoOutAtOnceAndLocalIsSentOnce() {
        DirectiveTracker t = new DirectiveTracker(750);
        assertFalse(t.due(Directive.LOCAL, "LOCAL", 0), "nothing to say to a local host");
        assertTrue(t.due(Directive.LOCAL, "REDIRECT", 0), "a directive left by an earlier manager is cleared");
        assertTrue(t.due(D, "LOCAL", 0));
        t.sent(D, 0);
        assertFalse(t.due(D, "REDIRECT", 100), "not yet due for renewal");
        Directive more = new Directive(OffloadMode.REDIRECT, List.of("b"), 0.4, 3000);
        assertTrue(t.due(more, "REDIRECT", 100), "a change is sent without waiting");
        t.sent(Directive.LOCAL, 200);
        assertFalse(t.due(Directive.LOCAL, "LOCAL", 5000), "LOCAL is not renewed");
    }

    @Test
    void policyPushesRenewalsOnlyAfterSuccessfulSends() {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        HostDecision a = null;
        for (int i = 0; i < 3; i++) {
            a = p.decide(i * 1000L, List.of(Observation.polled("a", "", Loads.capacity("a", 20, 100, 250), false),
                    Observation.polled("b", "", Loads.capacity("b", 20, 100, 80), false))).get(0);
        }
        assertTrue(a.directive().isPermit());
        assertTrue(a.push());
        // not marked as sent (the send failed): still due in the next cycle
        a = p.decide(3000, List.of(Observation.polled("a", "", Loads.capacity("a", 20, 100, 250), false),
                Observation.polled("b", "", Loads.capacity("b", 20, 100, 80), false))).get(0);
        assertTrue(a.push());
        p.sent("a", a.directive(), 3000);
        HostDecision same = p.decide(3500, List.of(Observation.polled("a", "", Loads.capacity("a", 20, 100, 250), false),
                Observation.polled("b", "", Loads.capacity("b", 20, 100, 82), false))).get(0);
        assertEquals(a.directive().targets(), same.directive().targets());
        assertFalse(same.push(), "sent 500 ms ago, budgets within 10%: renewal not due yet");
    }
}
