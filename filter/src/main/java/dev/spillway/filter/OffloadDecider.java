package dev.spillway.filter;

import dev.spillway.filter.directive.ActiveDirective;
import dev.spillway.filter.directive.PeerAvailability;
import dev.spillway.filter.jmx.FilterCounters;
import dev.spillway.filter.peers.Peer;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The per-request decision while a directive or permit is in force: eligible? one of the fraction, or within a
 * budget? which target? Counts each step. Kept apart from moving the request so that its cost can be measured on
 * its own.
 */
public final class OffloadDecider {
    private final Eligibility eligibility;
    private final FilterCounters counters;
    private final PeerAvailability availability;

    public OffloadDecider(Eligibility eligibility, FilterCounters counters, PeerAvailability availability) {
        this.eligibility = eligibility;
        this.counters = counters;
        this.availability = availability;
    }

    /**
     * Under a fraction directive.
     *
     * @param directive the live directive ({@code DirectiveSlot#offloading})
     * @param checkedPath {@link Eligibility#checkedPath(HttpServletRequest)}
     * @return the peer to move the request to, or null to serve it here
     */
    public Peer choose(ActiveDirective directive, HttpServletRequest request, String checkedPath) {
        if (!eligible(request, checkedPath)) {
            return null;
        }
        counters.countEligible();
        if (!directive.choose()) {
            return null;
        }
        counters.countChosen();
        Peer target = directive.pickTarget(availability);
        if (target == null) {
            counters.countFellBack();
        }
        return target;
    }

    /**
     * Under a permit, for a request that found this server's pool backed up: the target with the most budget left,
     * or null to serve it here (not eligible, or every budget spent).
     */
    public Peer spill(ActiveDirective permit, HttpServletRequest request, String checkedPath, long nowNanos) {
        if (!eligible(request, checkedPath)) {
            return null;
        }
        counters.countEligible();
        counters.countChosen();
        Peer target = permit.takeWithinBudget(availability, nowNanos);
        if (target == null) {
            counters.countOverBudget();
        } else {
            counters.countSpilled();
        }
        return target;
    }

    /**
     * For a request held in the admission gate that may move: one request's worth of the target with the most budget
     * left, or null if every budget is spent. Counts nothing: the held request was judged and counted when it was held
     * ({@link #movedFromGate}).
     */
    public Peer budgetForHeld(ActiveDirective permit, long nowNanos) {
        return permit.takeWithinBudget(availability, nowNanos);
    }

    /**
     * A held request is moved from the gate: it counts as spilled, and as eligible and chosen unless it was counted so
     * when it was held (over budget then: that count stands, the manager reads it as need that was not met then).
     */
    public void movedFromGate(boolean eligibleCounted) {
        if (!eligibleCounted) {
            counters.countEligible();
            counters.countChosen();
        }
        counters.countSpilled();
    }

    /** Eligible to move, judged without counting anything (a request held in the gate, for a move later). */
    public boolean isEligible(HttpServletRequest request, String checkedPath) {
        return eligibility.judge(request, checkedPath) == Eligibility.Verdict.ELIGIBLE;
    }

    /**
     * With no permit in force, for a request that found this server's pool backed up: an eligible one had no budget
     * to spill with, and counts as over budget (the agent reports the rate, the manager reads it as unmet need).
     */
    public void noPermit(HttpServletRequest request, String checkedPath) {
        if (eligibility.judge(request, checkedPath) == Eligibility.Verdict.ELIGIBLE) {
            counters.countOverBudget();
        }
    }

    // A request the webapp answers itself is counted apart: operators see how many hits stayed here while spilling.
    private boolean eligible(HttpServletRequest request, String checkedPath) {
        Eligibility.Verdict verdict = eligibility.judge(request, checkedPath);
        if (verdict == Eligibility.Verdict.ELIGIBLE) {
            return true;
        }
        if (verdict == Eligibility.Verdict.ANSWERED_LOCALLY) {
            counters.countAnsweredLocally();
        }
        return false;
    }
}
