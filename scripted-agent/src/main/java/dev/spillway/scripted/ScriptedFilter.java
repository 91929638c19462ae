package dev.spillway.scripted;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.EpochFence;
import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.Lease;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.agent.contract.PeerStats;
import java.util.function.LongSupplier;

/**
 * Stands in for a webapp's filter in scripted mode: takes directives and permits with a lease exactly like the real filter
 * (LOCAL again once the lease runs out) and accepts any target, so tests of the manager can watch what it told a
 * host, and that a dead manager's directive expires, without a servlet container.
 */
public final class ScriptedFilter implements FilterMXBean {
    private final EpochFence fence = new EpochFence();
    private final LongSupplier nanoClock;
    /** Replaced whole, so a reader never sees one directive with another's lease. */
    private volatile Held held = new Held(Directive.LOCAL, Lease.ENDED);

    private record Held(Directive directive, Lease lease) {
    }

    /** @param nanoClock {@link System#nanoTime()}, or a fake in tests */
    public ScriptedFilter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    private Directive current() {
        Held h = held;
        return h.lease().holdsAt(nanoClock.getAsLong()) ? h.directive() : Directive.LOCAL;
    }

    @Override public String getContextPath() { return "/scripted"; }
    @Override public int getQueueLength() { return 0; }
    @Override public double getQueueLengthAverage() { return Double.NaN; }
    @Override public int getQueueLengthMax() { return -1; }
    @Override public String getQueueSource() { return "script"; }
    @Override public long getQueueDelayMillis() { return -1; }
    @Override public long getQueueDelayMaxMillis() { return -1; }
    @Override public String getQueueDelaySource() { return "script"; }
    @Override public int getInFlight() { return -1; }
    @Override public long getRequests() { return -1; }
    @Override public long getErrors() { return -1; }
    @Override public long getEligible() { return -1; }
    @Override public long getChosen() { return -1; }
    @Override public long getOffloaded() { return -1; }
    @Override public long getOffloadFailures() { return -1; }
    @Override public long getFellBack() { return -1; }
    @Override public String getDirectiveMode() { return current().mode().name(); }
    @Override public String[] getDirectiveTargets() { return current().targets().toArray(new String[0]); }
    @Override public double getDirectiveFraction() { return current().fraction(); }

    @Override
    public long getDirectiveLeaseRemainingMillis() {
        Held h = held;
        return h.directive().mode() == OffloadMode.LOCAL ? 0 : h.lease().remainingMillisAt(nanoClock.getAsLong());
    }

    @Override public String[] getPeers() { return new String[0]; }
    @Override public PeerStats[] getPeerStats() { return new PeerStats[0]; }

    @Override
    public void applyDirective(String mode, String[] targets, double fraction, long leaseMillis) {
        hold(Directive.of(mode, targets, fraction, leaseMillis));
    }

    @Override public double[] getPermitBudgets() { return current().budgetArray(); }

    @Override
    public void applyPermit(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis) {
        hold(Directive.permitOf(mode, targets, budgetsPerSecond, leaseMillis));
    }

    @Override
    public void clearDirective() {
        held = new Held(Directive.LOCAL, Lease.ENDED);
    }

    private void hold(Directive d) {
        held = new Held(d, d.mode() == OffloadMode.LOCAL ? Lease.ENDED : Lease.grantedAt(nanoClock.getAsLong(),
                d.leaseMillis()));
    }

    // A scripted host is fenced like a real filter, so a demo with several managers shows the same behaviour.
    @Override
    public boolean applyDirectiveAtEpoch(String mode, String[] targets, double fraction, long leaseMillis,
                                         long epoch) {
        return fence.admit(epoch, () -> applyDirective(mode, targets, fraction, leaseMillis));
    }

    @Override
    public boolean applyPermitAtEpoch(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis,
                                      long epoch) {
        return fence.admit(epoch, () -> applyPermit(mode, targets, budgetsPerSecond, leaseMillis));
    }

    @Override
    public boolean clearDirectiveAtEpoch(long epoch) {
        return fence.admit(epoch, this::clearDirective);
    }

    @Override public long getDirectiveEpoch() { return fence.highest(); }
    @Override public long getStaleDirectivesIgnored() { return fence.refused(); }
}
