package dev.spillway.filter.directive;

import dev.spillway.agent.contract.Lease;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.filter.peers.Peer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directive or permit as the filter holds it: the targets resolved to configured peers, the lease turned into a
 * deadline on the monotonic clock, its own fraction gate, and for a permit one {@link Budget} per target. Immutable
 * but for the gate's counter and the budgets; replaced whole on each change, so the hot path reads it with one
 * volatile load.
 */
public final class ActiveDirective {
    private final OffloadMode mode;
    private final Peer[] targets;
    private final double fraction;
    private final long leaseMillis;
    private final Lease lease;
    private final FractionGate gate;
    /** One per target for a permit; null for a fraction directive. */
    private final Budget[] budgets;
    private final AtomicInteger turn = new AtomicInteger();

    ActiveDirective(OffloadMode mode, List<Peer> targets, double fraction, long leaseMillis, long nowNanos) {
        this(mode, targets, fraction, null, leaseMillis, nowNanos);
    }

    /** @param budgetsPerSecond one per target for a permit (fraction 0), or null for a fraction directive */
    ActiveDirective(OffloadMode mode, List<Peer> targets, double fraction, List<Double> budgetsPerSecond,
                    long leaseMillis, long nowNanos) {
        this(mode, targets, fraction, budgetsPerSecond, leaseMillis, nowNanos, null);
    }

    /**
     * @param replaced the permit this one replaces, or null: each target it also names starts with what that permit
     *                 had spent of its budget, so a permit renewed every cycle grants no fresh burst each time
     */
    ActiveDirective(OffloadMode mode, List<Peer> targets, double fraction, List<Double> budgetsPerSecond,
                    long leaseMillis, long nowNanos, ActiveDirective replaced) {
        this.mode = mode;
        this.targets = targets.toArray(new Peer[0]);
        this.fraction = fraction;
        this.leaseMillis = leaseMillis;
        this.lease = Lease.grantedAt(nowNanos, leaseMillis);
        this.gate = new FractionGate(fraction);
        if (budgetsPerSecond == null) {
            this.budgets = null;
        } else {
            this.budgets = new Budget[this.targets.length];
            for (int i = 0; i < budgets.length; i++) {
                double spent = replaced == null ? 0.0 : replaced.spentOn(this.targets[i], nowNanos);
                budgets[i] = new Budget(budgetsPerSecond.get(i), nowNanos, spent);
            }
        }
    }

    /** True for a permit: requests move only while the pool is backed up, within the targets' budgets. */
    public boolean isPermit() {
        return budgets != null;
    }

    /** The permit's budgets in requests/s, in the order of {@link #targets()}; empty for a fraction directive. */
    public double[] budgetsPerSecond() {
        if (budgets == null) {
            return new double[0];
        }
        double[] out = new double[budgets.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = budgets[i].perSecond();
        }
        return out;
    }

    /** Requests' worth of {@code target}'s budget spent ahead of {@code nowNanos}; 0 if it has none here. */
    double spentOn(Peer target, long nowNanos) {
        if (budgets == null) {
            return 0.0;
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] == target) { // the slot resolves every directive to the same configured Peer objects
                return budgets[i].spent(nowNanos);
            }
        }
        return 0.0;
    }

    public OffloadMode mode() {
        return mode;
    }

    public List<Peer> targets() {
        return List.of(targets);
    }

    public double fraction() {
        return fraction;
    }

    public long leaseMillis() {
        return leaseMillis;
    }

    /** True while the lease holds at {@code nowNanos} ({@link System#nanoTime()} scale). */
    public boolean isLive(long nowNanos) {
        return lease.holdsAt(nowNanos);
    }

    /** Milliseconds left on the lease at {@code nowNanos}, 0 once it ended. */
    public long remainingMillis(long nowNanos) {
        return lease.remainingMillisAt(nowNanos);
    }

    /** Decides whether this eligible request is one of the fraction to move. */
    public boolean choose() {
        return gate.pass();
    }

    /**
     * The next target in turn that {@code availability} accepts, or null if none does (the request is then served
     * here). Moved requests are spread evenly over the targets, because the manager sizes each directive by the
     * headroom of every target it lists; a target that is skipped (suspect) passes its turn to the next one.
     */
    public Peer pickTarget(PeerAvailability availability) {
        int n = targets.length;
        int start = n == 1 ? 0 : Math.floorMod(turn.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Peer p = targets[(start + i) % n];
            if (availability.isAvailable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * For a permit: the available target with the least of its budget spent, charged one request; null if every
     * available target's budget is used up (the request is then served here). Scans the few targets once; a lost
     * race for the last of a budget tries the next best.
     */
    public Peer takeWithinBudget(PeerAvailability availability, long nowNanos) {
        Budget[] b = budgets;
        if (b == null) {
            return null;
        }
        int n = b.length;
        // Most targets lists are 1-3 long: a bounded retry over them, no allocation.
        for (int attempt = 0; attempt < n; attempt++) {
            int best = -1;
            double least = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double spent = b[i].spent(nowNanos);
                if (spent < least && availability.isAvailable(targets[i])) {
                    least = spent;
                    best = i;
                }
            }
            if (best < 0) {
                return null;
            }
            if (b[best].take(nowNanos)) {
                return targets[best];
            }
            if (n == 1) {
                return null;
            }
        }
        return null;
    }
}
