package dev.spillway.filter;

import dev.spillway.filter.directive.ActiveDirective;
import dev.spillway.filter.directive.PeerAvailability;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The per-request decision while a directive moves requests: eligible? one of the fraction? which target? Counts
 * each step. Kept apart from moving the request so that its cost can be measured on its own.
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
     * @param directive the live directive ({@code DirectiveSlot#offloading})
     * @param checkedPath {@link Eligibility#checkedPath(HttpServletRequest)}
     * @return the peer to move the request to, or null to serve it here
     */
    public Peer choose(ActiveDirective directive, HttpServletRequest request, String checkedPath) {
        if (eligibility.judge(request, checkedPath) != Eligibility.Verdict.ELIGIBLE) {
            return null;
        }
        counters.eligible.increment();
        if (!directive.choose()) {
            return null;
        }
        counters.chosen.increment();
        Peer target = directive.pickTarget(availability);
        if (target == null) {
            counters.fellBack.increment();
        }
        return target;
    }
}
