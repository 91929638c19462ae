package dev.spillway.manager.policy;

import dev.spillway.agent.contract.OffloadMode;

/**
 * Every knob of the policy, validated once. Defaults ({@link #defaults(long)}): fail after 3 missed polls,
 * REDIRECT, budgets fill targets up to 0.8 of their capacity, spread 0.1 per recent pick, at most 3 targets, lease
 * 3 intervals, pick history decays by 0.8 per cycle.
 *
 * @param share   the part of a target's capacity that its own load plus the budgets pointing at it may fill
 * @param enabled false: dry run (every decision is computed and shown as "would …"; nothing is sent)
 * @param sessionThreshold the fraction of its session capacity at which a host is no target (1.0 = full)
 * @param sessionWeight    what a full session capacity adds to a host's route order (0 = nothing)
 */
public record PolicyConfig(Thresholds thresholds, long intervalMillis, int failAfterMisses, OffloadMode mode,
                           double share, double spread, int maxTargets, int leaseIntervals, double pickDecay,
                           boolean enabled, double sessionThreshold,
                           double sessionWeight) {

    public PolicyConfig {
        if (intervalMillis <= 0 || failAfterMisses < 1 || maxTargets < 1 || leaseIntervals < 1) {
            throw new IllegalArgumentException("interval, failAfterMisses, maxTargets, leaseIntervals must be >= 1");
        }
        if (mode == OffloadMode.LOCAL) {
            throw new IllegalArgumentException("offload mode must be REDIRECT or PROXY");
        }
        if (!(share > 0 && share <= 1) || !(pickDecay >= 0 && pickDecay < 1)) {
            throw new IllegalArgumentException("share must be in (0, 1], pickDecay in [0, 1)");
        }
        if (!(sessionThreshold > 0 && sessionThreshold <= 1)) {
            throw new IllegalArgumentException("sessionThreshold must be in (0, 1]");
        }
        if (!(sessionWeight >= 0) || Double.isInfinite(sessionWeight)) {
            throw new IllegalArgumentException("sessionWeight must be >= 0");
        }
    }

    /** With the default session threshold and weight, 1.0 each (held back only when its sessions fill it). */
    public PolicyConfig(Thresholds thresholds, long intervalMillis, int failAfterMisses, OffloadMode mode,
                        double share, double spread, int maxTargets, int leaseIntervals, double pickDecay,
                        boolean enabled) {
        this(thresholds, intervalMillis, failAfterMisses, mode, share, spread, maxTargets, leaseIntervals, pickDecay,
                enabled, 1.0, 1.0);
    }

    public static PolicyConfig defaults(long intervalMillis) {
        return new PolicyConfig(Thresholds.DEFAULTS, intervalMillis, 3, OffloadMode.REDIRECT, 0.8, 0.1, 3, 4, 0.8,
                true);
    }

    public long leaseMillis() {
        return leaseIntervals * intervalMillis;
    }
}
