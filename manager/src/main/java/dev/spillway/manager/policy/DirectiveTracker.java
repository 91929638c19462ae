package dev.spillway.manager.policy;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.OffloadMode;

/**
 * Decides when a host's directive must be sent: when it changes, and otherwise once per renewal period while it is
 * not LOCAL (a renewal is the same directive with a fresh lease). A permit whose budgets only grew waits for its
 * renewal unless the host needs more (see {@link #due(Directive, String, long, boolean)}). LOCAL is sent (as
 * {@code clearDirective}) once, on the change, or when a host reports a directive this manager never gave (one left
 * by a previous manager).
 * Only a send that succeeded counts; a failed one is retried next cycle.
 */
public final class DirectiveTracker {
    private final long renewEveryMillis;
    private Directive lastSent;
    private long sentAtMillis;

    public DirectiveTracker(long renewEveryMillis) {
        this.renewEveryMillis = renewEveryMillis;
    }

    public boolean due(Directive wanted, String reportedMode, long nowMillis) {
        return due(wanted, reportedMode, nowMillis, true);
    }

    /**
     * @param needsMore whether the host may need more than it holds (its own rate beyond its share, or requests that
     *                  found no budget): only then does a permit whose budgets merely grew go out before its renewal
     */
    public boolean due(Directive wanted, String reportedMode, long nowMillis, boolean needsMore) {
        return reason(wanted, reportedMode, nowMillis, needsMore) != null;
    }

    /**
     * Why {@code wanted} must be sent now, or null when it need not be ({@link #due}): a change first (the kind of
     * the first difference: LOCAL, mode, targets, a cut, a rise), else the renewal.
     */
    public SendReason reason(Directive wanted, String reportedMode, long nowMillis, boolean needsMore) {
        if (lastSent == null) {
            if (wanted.mode() != OffloadMode.LOCAL) {
                return SendReason.FIRST;
            }
            return OffloadMode.LOCAL.name().equals(reportedMode) ? null : SendReason.LOCAL;
        }
        if (!same(lastSent, wanted) && (needsMore || !onlyGrew(lastSent, wanted))) {
            return change(lastSent, wanted);
        }
        if (wanted.mode() == OffloadMode.LOCAL) {
            return !OffloadMode.LOCAL.name().equals(reportedMode) && nowMillis - sentAtMillis >= renewEveryMillis
                    ? SendReason.LOCAL : null;
        }
        return nowMillis - sentAtMillis >= renewEveryMillis ? SendReason.RENEWAL : null;
    }

    /** The kind of change from {@code held} to {@code wanted}, which are not {@link #same}. */
    static SendReason change(Directive held, Directive wanted) {
        if (wanted.mode() == OffloadMode.LOCAL) {
            return SendReason.LOCAL;
        }
        if (held.mode() != wanted.mode() || Math.abs(held.fraction() - wanted.fraction()) >= 1e-9) {
            return SendReason.MODE;
        }
        if (!sameShape(held, wanted)) {
            return SendReason.TARGETS;
        }
        return onlyGrew(held, wanted) ? SendReason.GREW : SendReason.CUT;
    }

    public void sent(Directive d, long nowMillis) {
        lastSent = d;
        sentAtMillis = nowMillis;
    }

    public Directive lastSent() {
        return lastSent;
    }

    /**
     * Whether {@code wanted} is {@code held} with no budget cut by more than the 10% {@link #same} allows: holding
     * the smaller budgets until the renewal promises no target more than its spare, and a host with nothing to spill
     * beyond its share loses nothing by it. At a thousand hosts most budget changes are a rate's noise, and each
     * sent is a remote call in the cycle.
     */
    static boolean onlyGrew(Directive held, Directive wanted) {
        if (!sameShape(held, wanted)) {
            return false;
        }
        for (int i = 0; i < held.budgets().size(); i++) {
            double h = held.budgets().get(i);
            double w = budgetFor(wanted, held.targets().get(i));
            if (w < h && h - w > 0.1 * h) {
                return false;
            }
        }
        return true;
    }

    /**
     * Same mode, targets and fraction, and budgets within 10% of each other (closer is not worth a send). A permit's
     * targets are compared as a set, each with its budget: their order only breaks ties in the filter (the target
     * with the least of its budget spent goes first), and at a thousand hosts with near-equal spares the planner's
     * best-first order of the same targets changed every cycle (session 16: most of ~970 sends a cycle).
     */
    static boolean same(Directive a, Directive b) {
        if (!sameShape(a, b)) {
            return false;
        }
        for (int i = 0; i < a.budgets().size(); i++) {
            double x = a.budgets().get(i);
            double y = budgetFor(b, a.targets().get(i));
            if (Math.abs(x - y) > 0.1 * Math.max(x, y)) {
                return false;
            }
        }
        return true;
    }

    /** Same mode and fraction, and the same targets: in the same order, or for permits in any order. */
    private static boolean sameShape(Directive a, Directive b) {
        if (a.mode() != b.mode() || Math.abs(a.fraction() - b.fraction()) >= 1e-9
                || a.budgets().size() != b.budgets().size() || a.targets().size() != b.targets().size()) {
            return false;
        }
        if (a.budgets().isEmpty() || a.budgets().size() != a.targets().size()) {
            return a.targets().equals(b.targets());
        }
        return new java.util.HashSet<>(a.targets()).equals(new java.util.HashSet<>(b.targets()))
                && a.targets().size() == new java.util.HashSet<>(a.targets()).size();
    }

    /** A permit's budget for {@code target} (its targets are distinct when {@link #sameShape} says so). */
    private static double budgetFor(Directive d, String target) {
        return d.budgets().get(d.targets().indexOf(target));
    }
}
