package dev.spillway.manager.policy;

import dev.spillway.agent.contract.Directive;

/**
 * The policy's verdict on one host for one cycle: its state, stress, the directive it should run, and the reason
 * in words. {@code send} says why the directive must be sent now (changed or due for renewal), null when it need not be; {@code logLine}
 * is non-null when something worth a decision-log entry changed.
 */
public record HostDecision(String id, HostState state, double stress, Directive directive, String reason,
                           SendReason send, String logLine) {
    /** Whether the directive must be sent now; {@link #send} says why (null: not now). */
    public boolean push() {
        return send != null;
    }
}
