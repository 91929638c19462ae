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
        if (!held.targets().equals(wanted.targets()) || held.budgets().size() != wanted.budgets().size()) {
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
        if (held.mode() != wanted.mode() || !held.targets().equals(wanted.targets())
                || Math.abs(held.fraction() - wanted.fraction()) >= 1e-9
                || held.budgets().size() != wanted.budgets().size()) {
            return false;
        }
        for (int i = 0; i < held.budgets().size(); i++) {
            double h = held.budgets().get(i);
            double w = wanted.budgets().get(i);
            if (w < h && h - w > 0.1 * h) {
                return false;
            }
        }
        return true;
    }

    /** Same mode, targets and fraction, and budgets within 10% of each other (closer is not worth a send). */
    static boolean same(Directive a, Directive b) {
        if (a.mode() != b.mode() || !a.targets().equals(b.targets()) || Math.abs(a.fraction() - b.fraction()) >= 1e-9
                || a.budgets().size() != b.budgets().size()) {
            return false;
        }
        for (int i = 0; i < a.budgets().size(); i++) {
            double x = a.budgets().get(i);
            double y = b.budgets().get(i);
            if (Math.abs(x - y) > 0.1 * Math.max(x, y)) {
                return false;
            }
        }
        return true;
    }
}
