package dev.spillway.manager.policy;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.OffloadMode;

/**
 * Decides when a host's directive must be sent: when it changes, and otherwise once per renewal period while it is
 * not LOCAL (a renewal is the same directive with a fresh lease). LOCAL is sent (as {@code clearDirective}) once,
 * on the change, or when a host reports a directive this manager never gave (one left by a previous manager).
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
        if (lastSent == null) {
            return wanted.mode() != OffloadMode.LOCAL || !OffloadMode.LOCAL.name().equals(reportedMode);
        }
        if (!same(lastSent, wanted)) {
            return true;
        }
        if (wanted.mode() == OffloadMode.LOCAL) {
            return !OffloadMode.LOCAL.name().equals(reportedMode) && nowMillis - sentAtMillis >= renewEveryMillis;
        }
        return nowMillis - sentAtMillis >= renewEveryMillis;
    }

    public void sent(Directive d, long nowMillis) {
        lastSent = d;
        sentAtMillis = nowMillis;
    }

    public Directive lastSent() {
        return lastSent;
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
