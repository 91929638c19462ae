package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.OffloadMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When a permit whose budgets changed goes out before its renewal: a cut beyond 10% always (the target may not be
 * promised more than its spare), a rise only to a host that may need it (beyond its share, or spilling over budget).
 */
class GrownBudgetTest {
    private static final long RENEW = 2_000;

    private static Directive permit(String target, double budget) {
        return Directive.permit(OffloadMode.REDIRECT, List.of(target), List.of(budget), 4_000);
    }

    private static DirectiveTracker sentAtZero(Directive d) {
        DirectiveTracker t = new DirectiveTracker(RENEW);
        t.sent(d, 0);
        return t;
    }

    @Test
    void aRiseWaitsForTheRenewalUnlessTheHostNeedsMore() {
        DirectiveTracker t = sentAtZero(permit("b", 40));
        assertFalse(t.due(permit("b", 80), "REDIRECT", 1_000, false), "a host within its share: the rise waits");
        assertTrue(t.due(permit("b", 80), "REDIRECT", 1_000, true), "a host that needs more gets it now");
        assertTrue(t.due(permit("b", 80), "REDIRECT", RENEW, false), "the renewal carries the rise");
    }

    @Test
    void aCutOrOtherTargetsGoOutAtOnceEvenToAHostThatNeedsNothing() {
        DirectiveTracker t = sentAtZero(permit("b", 40));
        assertTrue(t.due(permit("b", 30), "REDIRECT", 1_000, false), "a cut of 25%");
        assertTrue(t.due(permit("c", 40), "REDIRECT", 1_000, false), "another target");
        assertTrue(t.due(Directive.LOCAL, "REDIRECT", 1_000, false), "no permit at all");
        assertFalse(t.due(permit("b", 37), "REDIRECT", 1_000, false), "a cut within 10% is the same permit");
    }

    @Test
    void onlyGrewMeansSameTargetsAndModeWithNoCutBeyondTenPercent() {
        assertTrue(DirectiveTracker.onlyGrew(permit("b", 40), permit("b", 400)));
        assertTrue(DirectiveTracker.onlyGrew(permit("b", 40), permit("b", 37)));
        assertFalse(DirectiveTracker.onlyGrew(permit("b", 40), permit("b", 35)));
        assertFalse(DirectiveTracker.onlyGrew(permit("b", 40), permit("c", 50)));
        assertFalse(DirectiveTracker.onlyGrew(permit("b", 40),
                Directive.permit(OffloadMode.PROXY, List.of("b"), List.of(50.0), 4_000)));
    }

    @Test
    void eachSendSaysWhyItGoesOut() {
        DirectiveTracker fresh = new DirectiveTracker(RENEW);
        assertEquals(SendReason.FIRST, fresh.reason(permit("b", 40), "LOCAL", 0, false));
        assertEquals(SendReason.LOCAL, fresh.reason(Directive.LOCAL, "REDIRECT", 0, false), "one left by another");
        DirectiveTracker t = sentAtZero(permit("b", 40));
        assertNull(t.reason(permit("b", 38), "REDIRECT", 1_000, false), "within 10%, renewal not due");
        assertEquals(SendReason.RENEWAL, t.reason(permit("b", 38), "REDIRECT", RENEW, false));
        assertEquals(SendReason.CUT, t.reason(permit("b", 30), "REDIRECT", 1_000, false));
        assertEquals(SendReason.GREW, t.reason(permit("b", 80), "REDIRECT", 1_000, true));
        assertEquals(SendReason.TARGETS, t.reason(permit("c", 40), "REDIRECT", 1_000, false));
        assertEquals(SendReason.MODE, t.reason(Directive.permit(OffloadMode.PROXY, List.of("b"), List.of(40.0), 4_000),
                "REDIRECT", 1_000, false));
        assertEquals(SendReason.LOCAL, t.reason(Directive.LOCAL, "REDIRECT", 1_000, false));
    }

    @Test
    void aPermitsTargetsInAnotherOrderAreTheSamePermitButADirectivesAreNot() {
        Directive bc = Directive.permit(OffloadMode.REDIRECT, List.of("b", "c"), List.of(40.0, 20.0), 4_000);
        Directive cb = Directive.permit(OffloadMode.REDIRECT, List.of("c", "b"), List.of(20.0, 39.0), 4_000);
        assertTrue(DirectiveTracker.same(bc, cb), "each target keeps its budget within 10%");
        assertFalse(sentAtZero(bc).due(cb, "REDIRECT", 1_000, false));
        Directive swapped = Directive.permit(OffloadMode.REDIRECT, List.of("c", "b"), List.of(40.0, 20.0), 4_000);
        assertEquals(SendReason.CUT, sentAtZero(bc).reason(swapped, "REDIRECT", 1_000, false), "b's 40 cut to 20");
        Directive fractionBc = new Directive(OffloadMode.REDIRECT, List.of("b", "c"), 1.0, 4_000);
        Directive fractionCb = new Directive(OffloadMode.REDIRECT, List.of("c", "b"), 1.0, 4_000);
        assertFalse(DirectiveTracker.same(fractionBc, fractionCb), "a directive's order is its preference");
    }
}
