package dev.spillway.agent.contract;

import java.util.List;

/**
 * What the manager tells a host's filters to do, for {@code leaseMillis}, in one of two forms:
 * <ul>
 *   <li>a <b>fraction</b> directive moves {@code fraction} of eligible requests to {@code targets} (ordered, best
 *       first) by {@code mode}, whatever the host's load: drain, a failed host, or an operator's own order;</li>
 *   <li>a <b>permit</b> ({@code fraction} 0, {@code budgets} given) lets the filter spill an eligible request to a
 *       target only while its own worker pool is backed up, and never more than {@code budgets[i]} requests per second
 *       to {@code targets[i]}: the manager sizes the budgets from the targets' spare capacity.</li>
 * </ul>
 * A lease that is not renewed ends by itself and the filter goes back to serving locally, so a dead manager cannot
 * leave a host moving requests.
 *
 * <p>{@code epoch} fences managers that take turns leading (ZooKeeper): the leader's term number, which only grows.
 * An agent or filter that has accepted epoch N ignores anything older (see {@link EpochFence}). A manager that runs
 * alone sends epoch {@link #UNFENCED} (0), as do callers that predate epochs.
 */
public record Directive(OffloadMode mode, List<String> targets, double fraction, List<Double> budgets,
                        long leaseMillis, long epoch) {

    /** The epoch of a directive from a manager that runs alone (no leader election). */
    public static final long UNFENCED = 0L;

    public static final Directive LOCAL = new Directive(OffloadMode.LOCAL, List.of(), 0.0, Long.MAX_VALUE);

    /**
     * The longest lease an offloading directive may have: 24 h, above any lease the manager grants (at most
     * {@code poll.interval} 10 min x {@code lease.intervals} 100). Without it one call could make a host offload
     * for ever after its manager died. A LOCAL directive has no limit: serving locally is what an ended lease does.
     */
    public static final long MAX_LEASE_MILLIS = 86_400_000L;

    public Directive {
        if (mode == null) {
            throw new IllegalArgumentException("mode is missing; expected one of LOCAL, REDIRECT, PROXY");
        }
        targets = targets == null ? List.of() : List.copyOf(targets);
        budgets = budgets == null ? List.of() : List.copyOf(budgets);
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("fraction " + fraction + " is out of range; expected 0..1");
        }
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis " + leaseMillis + " must be > 0");
        }
        if (mode != OffloadMode.LOCAL && leaseMillis > MAX_LEASE_MILLIS) {
            throw new IllegalArgumentException("leaseMillis " + leaseMillis + " is too long; expected 1.."
                    + MAX_LEASE_MILLIS + " (24 h) for a " + mode + " directive");
        }
        if (mode != OffloadMode.LOCAL && targets.isEmpty()) {
            throw new IllegalArgumentException("mode " + mode + " needs at least one target");
        }
        for (String t : targets) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("a target is blank; expected a peer id or base URL");
            }
        }
        if (!budgets.isEmpty() && budgets.size() != targets.size()) {
            throw new IllegalArgumentException(budgets.size() + " budgets for " + targets.size()
                    + " targets; expected one budget (requests/s) per target");
        }
        for (Double b : budgets) {
            if (b == null || !(b >= 0) || b.isInfinite()) {
                throw new IllegalArgumentException("budget " + b + " is not valid; expected requests/s >= 0");
            }
        }
        if (!budgets.isEmpty() && fraction != 0.0) {
            throw new IllegalArgumentException("a permit (budgets given) moves no fixed fraction; fraction must be 0");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " is negative; expected 0 (unfenced) or a leader's"
                    + " term number >= 1");
        }
    }

    /** An unfenced directive or permit (epoch 0), as before epochs existed. */
    public Directive(OffloadMode mode, List<String> targets, double fraction, List<Double> budgets, long leaseMillis) {
        this(mode, targets, fraction, budgets, leaseMillis, UNFENCED);
    }

    /** The same directive stamped with a leader's epoch. */
    public Directive withEpoch(long newEpoch) {
        return new Directive(mode, targets, fraction, budgets, leaseMillis, newEpoch);
    }

    /** A fraction directive (no budgets). */
    public Directive(OffloadMode mode, List<String> targets, double fraction, long leaseMillis) {
        this(mode, targets, fraction, List.of(), leaseMillis);
    }

    /** A permit: spill while backed up, within a budget per target. */
    public static Directive permit(OffloadMode mode, List<String> targets, List<Double> budgets, long leaseMillis) {
        if (budgets == null || budgets.isEmpty()) {
            throw new IllegalArgumentException("a permit needs one budget per target");
        }
        return new Directive(mode, targets, 0.0, budgets, leaseMillis);
    }

    /** True for a permit (spill within budgets while backed up), false for a fraction directive or LOCAL. */
    public boolean isPermit() {
        return !budgets.isEmpty();
    }

    /** Builds a directive from the primitive arguments of the MXBean operations. */
    public static Directive of(String mode, String[] targets, double fraction, long leaseMillis) {
        return new Directive(OffloadMode.parse(mode), targets == null ? List.of() : List.of(targets), fraction,
                leaseMillis);
    }

    /** Builds a permit from the primitive arguments of the MXBean operations. */
    public static Directive permitOf(String mode, String[] targets, double[] budgets, long leaseMillis) {
        List<Double> b = new java.util.ArrayList<>();
        if (budgets != null) {
            for (double v : budgets) {
                b.add(v);
            }
        }
        return permit(OffloadMode.parse(mode), targets == null ? List.of() : List.of(targets), b, leaseMillis);
    }

    /** The budgets as a primitive array (for the MXBean operations). */
    public double[] budgetArray() {
        double[] out = new double[budgets.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = budgets.get(i);
        }
        return out;
    }
}
