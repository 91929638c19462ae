package dev.spillway.manager.policy;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.OffloadMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the decision log and the API say about one host's decision, and when a decision is worth a log line. */
final class DecisionText {
    /** A host is "spilling" for the decision log above this many moved requests a second. */
    static final double SPILLING_RATE = 1.0;

    private DecisionText() {
    }

    /**
     * @param previous       the host's state in the last cycle (null for a host seen for the first time)
     * @param failureReason  why it is failed or unknown (the failure tracker's words)
     * @param overloadReason why it is overloaded (the overload detector's words)
     * @param moved          requests/s it moved in the last interval (NaN when unknown)
     */
    static String reason(String id, boolean reachable, HostState s, HostState previous, Directive d, double moved,
                         String failureReason, String overloadReason) {
        String moves = d.mode() == OffloadMode.LOCAL || d.isPermit() ? null
                : id + " moves " + percent(d.fraction()) + " of eligible requests to " + String.join(", ", d.targets());
        String permit = d.isPermit() ? id + " may spill to " + budgets(d) : null;
        String spills = permit == null ? null
                : moved > SPILLING_RATE ? permit + "; spilling " + Math.round(moved) + " req/s" : permit;
        switch (s) {
            case DRAINING:
                return moves != null ? moves + ": drained by operator"
                        : id + " is drained by operator" + (reachable ? " but no target is eligible" : ", agent unreachable");
            case FAILED:
                return moves != null ? moves + ": failed, " + failureReason : id + " failed: " + failureReason;
            case UNKNOWN:
                return id + " state unknown: " + failureReason;
            case SPARE:
                return id + " is a spare";
            case OVERLOADED:
                if (spills == null) {
                    return id + " is overloaded (" + overloadReason + ") and no target has spare capacity: serving locally";
                }
                return spills + ": overloaded, " + overloadReason;
            default:
                if (spills != null) {
                    return spills;
                }
                if (previous != null && previous != HostState.OK) {
                    return id + " ok again, serving everything locally";
                }
                return id + " ok, serving everything locally (no target has spare capacity)";
        }
    }

    /** Dry run's prefix on every reason (offload.enabled=false); {@code d} is what a live manager would send. */
    static final String DRY_RUN = "dry run (offload.enabled=false), nothing sent: ";

    /** The reason in a dry run: what would be sent, in words an operator can grep for ("would grant", ...). */
    static String dryRun(String reason, Directive d) {
        if (d.isPermit()) {
            return DRY_RUN + "would grant a permit: " + reason;
        }
        if (d.mode() != OffloadMode.LOCAL) {
            return DRY_RUN + "would direct: " + reason;
        }
        return DRY_RUN + reason;
    }

    /**
     * A decision-log line when something an operator cares about changed: state, mode, targets, a fraction, or a
     * permit's host starting or stopping to spill. Budgets follow the load every cycle and are not logged.
     */
    static boolean worthALine(HostState previous, Directive before, boolean spillingBefore, HostState s, Directive d,
                              boolean spilling) {
        if (previous == null && s == HostState.OK && (d.mode() == OffloadMode.LOCAL || d.isPermit())) {
            return false;   // a host appearing in good health is not a decision
        }
        if (previous != s || spillingBefore != spilling) {
            return true;
        }
        return before.mode() != d.mode() || before.isPermit() != d.isPermit() || !before.targets().equals(d.targets())
                || Math.abs(before.fraction() - d.fraction()) >= 0.05;
    }

    private static String budgets(Directive d) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < d.targets().size(); i++) {
            parts.add(d.targets().get(i) + " (" + Math.round(d.budgets().get(i)) + " req/s)");
        }
        return String.join(", ", parts);
    }

    static String percent(double f) {
        return String.format(Locale.ROOT, "%d%%", Math.round(f * 100));
    }
}
