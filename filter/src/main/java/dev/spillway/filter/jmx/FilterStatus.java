package dev.spillway.filter.jmx;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.PeerStats;
import dev.spillway.filter.directive.ActiveDirective;
import dev.spillway.filter.directive.DirectiveSlot;
import dev.spillway.filter.jmx.FilterCounters;
import dev.spillway.filter.peers.Peer;
import dev.spillway.filter.probe.LoadProbe;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;

/**
 * The filter's MXBean: reads counters, probe and directive; the directive and permit operations write. It also emits
 * {@link FilterMXBean#OVER_BUDGET_NOTIFICATION} (see {@link OverBudgetPush}), which the agent listens to.
 */
public final class FilterStatus implements FilterMXBean, NotificationEmitter {
    private static final Logger LOG = Logger.getLogger(FilterStatus.class.getName());
    private static final MBeanNotificationInfo[] NOTIFICATIONS = {new MBeanNotificationInfo(
            new String[] {OVER_BUDGET_NOTIFICATION}, Notification.class.getName(),
            "requests found the pool backed up and every spill budget spent (at most one per half second)")};
    // No executor: listeners run on the pushing request thread, and the agent's only hands the work to its own.
    private final NotificationBroadcasterSupport notifications = new NotificationBroadcasterSupport(NOTIFICATIONS);
    private final AtomicLong sequence = new AtomicLong();
    private final String contextPath;
    private final LoadProbe probe;
    private final FilterCounters counters;
    private final DirectiveSlot directive;
    private final List<Peer> peers;
    private final Supplier<PeerStats[]> peerStats;
    private final LongSupplier nanoClock;
    private final Supplier<String[]> originLoads;

    public FilterStatus(String contextPath, LoadProbe probe, FilterCounters counters, DirectiveSlot directive,
            List<Peer> peers, Supplier<PeerStats[]> peerStats, LongSupplier nanoClock) {
        this(contextPath, probe, counters, directive, peers, peerStats, nanoClock, () -> new String[0]);
    }

    /** @param originLoads the origins' loads as their moved requests reported them (in-band) */
    public FilterStatus(String contextPath, LoadProbe probe, FilterCounters counters, DirectiveSlot directive,
            List<Peer> peers, Supplier<PeerStats[]> peerStats, LongSupplier nanoClock,
            Supplier<String[]> originLoads) {
        this.originLoads = originLoads;
        this.contextPath = contextPath;
        this.probe = probe;
        this.counters = counters;
        this.directive = directive;
        this.peers = peers;
        this.peerStats = peerStats;
        this.nanoClock = nanoClock;
        counters.overBudgetPush().sendTo(this::pushOverBudget);
    }

    /** Requests the filter's admission gate holds: they wait for a worker as much as the pool's queue does. */
    private volatile IntSupplier heldInFilter = () -> 0;

    /** Counts {@code held} among the waiting requests (and the queue length), once the admission gate is on. */
    public void countHeldInFilter(IntSupplier held) {
        heldInFilter = held;
    }

    private static int plus(int figure, int held) {
        return figure < 0 ? figure : figure + held;
    }

    private void pushOverBudget(long overBudgetTotal) {
        Notification n = new Notification(OVER_BUDGET_NOTIFICATION, this, sequence.incrementAndGet(),
                System.currentTimeMillis(), "requests found the pool backed up and every spill budget spent");
        n.setUserData(overBudgetTotal);
        notifications.sendNotification(n);
    }

    @Override
    public void addNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback) {
        notifications.addNotificationListener(listener, filter, handback);
    }

    @Override
    public void removeNotificationListener(NotificationListener listener) throws ListenerNotFoundException {
        notifications.removeNotificationListener(listener);
    }

    @Override
    public void removeNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback)
            throws ListenerNotFoundException {
        notifications.removeNotificationListener(listener, filter, handback);
    }

    @Override
    public MBeanNotificationInfo[] getNotificationInfo() {
        return NOTIFICATIONS.clone();
    }

    @Override public String getContextPath() { return contextPath; }
    @Override public int getQueueLength() { return plus(probe.queueLength(), heldInFilter.getAsInt()); }
    @Override public int getWaitingRequests() { return plus(probe.waiting(), heldInFilter.getAsInt()); }
    @Override public int getBusyWorkers() { return probe.busyWorkers(); }
    @Override public int getMaxWorkers() { return probe.maxWorkers(); }
    @Override public long getServedHere() { return counters.servedHere(); }
    @Override public long getServiceMicrosTotal() { return counters.serviceMicros(); }
    @Override public long getSpilled() { return counters.spilled(); }
    @Override public long getSpillOverBudget() { return counters.overBudget(); }
    @Override public long getAnsweredLocally() { return counters.answeredLocally(); }
    @Override public long getPageCacheHits() { return counters.pageCacheHits(); }
    @Override public double getQueueLengthAverage() { return probe.queueLengthAverage(); }
    @Override public int getQueueLengthMax() { return probe.queueLengthMax(); }
    @Override public String getQueueSource() { return probe.queueSource(); }
    @Override public long getQueueDelayMillis() { return probe.queueDelayMillis(); }
    @Override public long getQueueDelayMaxMillis() { return probe.queueDelayMaxMillis(); }
    @Override public String getQueueDelaySource() { return probe.queueDelaySource(); }
    @Override public int getInFlight() { return probe.inFlight(); }
    @Override public String[] getOriginLoads() { return originLoads.get(); }
    @Override public long getRequests() { return counters.requests(); }
    @Override public long getMovedInRequests() { return counters.movedIn(); }
    @Override public long getErrors() { return counters.errors(); }
    @Override public long getEligible() { return counters.eligible(); }
    @Override public long getChosen() { return counters.chosen(); }
    // Totals over the per-peer rows, so the two views can never disagree.
    @Override public long getOffloaded() { return sum(PeerStats::getMoved); }
    @Override public long getOffloadFailures() { return sum(PeerStats::getFailed); }
    @Override public long getFellBack() { return counters.fellBack() + sum(PeerStats::getFellBack); }
    @Override public java.util.Map<String, Long> getDeclined() { return counters.declinedByReason(); }

    private long sum(ToLongFunction<PeerStats> field) {
        long total = 0;
        for (PeerStats s : peerStats.get()) {
            total += field.applyAsLong(s);
        }
        return total;
    }

    @Override
    public String getDirectiveMode() {
        ActiveDirective d = live();
        return d == null ? "LOCAL" : d.mode().name();
    }

    @Override
    public String[] getDirectiveTargets() {
        ActiveDirective d = live();
        return d == null ? new String[0] : d.targets().stream().map(Peer::id).toArray(String[]::new);
    }

    @Override
    public double getDirectiveFraction() {
        ActiveDirective d = live();
        return d == null ? 0.0 : d.fraction();
    }

    @Override
    public double[] getPermitBudgets() {
        ActiveDirective d = live();
        return d == null ? new double[0] : d.budgetsPerSecond();
    }

    @Override
    public long getDirectiveLeaseRemainingMillis() {
        ActiveDirective d = live();
        return d == null ? 0 : d.remainingMillis(nanoClock.getAsLong());
    }

    @Override
    public String[] getPeers() {
        return peers.stream().map(Peer::toString).toArray(String[]::new);
    }

    @Override
    public PeerStats[] getPeerStats() {
        return peerStats.get();
    }

    @Override
    public void applyDirective(String mode, String[] targets, double fraction, long leaseMillis) {
        // IllegalArgumentException crosses JMX as-is (a JDK type), so JConsole and the agent see the reason.
        directive.apply(Directive.of(mode, targets, fraction, leaseMillis));
    }

    @Override
    public void applyPermit(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis) {
        directive.apply(Directive.permitOf(mode, targets, budgetsPerSecond, leaseMillis));
        logPermit(targets, budgetsPerSecond, true);
    }

    // FINE: one line per permit and cycle is too much for INFO, but it times the path from an alert to the new budgets.
    private static void logPermit(String[] targets, double[] budgets, boolean applied) {
        LOG.fine(() -> "permit " + (applied ? "in force" : "ignored (stale epoch)") + ": "
                + String.join(",", targets) + " " + java.util.Arrays.toString(budgets) + " req/s");
    }

    @Override
    public void clearDirective() {
        directive.clear();
    }

    @Override
    public boolean applyDirectiveAtEpoch(String mode, String[] targets, double fraction, long leaseMillis,
                                         long epoch) {
        return directive.apply(Directive.of(mode, targets, fraction, leaseMillis).withEpoch(epoch));
    }

    @Override
    public boolean applyPermitAtEpoch(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis,
                                      long epoch) {
        boolean applied = directive.apply(Directive.permitOf(mode, targets, budgetsPerSecond, leaseMillis)
                .withEpoch(epoch));
        logPermit(targets, budgetsPerSecond, applied);
        return applied;
    }

    @Override
    public boolean clearDirectiveAtEpoch(long epoch) {
        return directive.clear(epoch);
    }

    @Override
    public long getDirectiveEpoch() {
        return directive.epoch();
    }

    @Override
    public long getStaleDirectivesIgnored() {
        return directive.staleIgnored();
    }

    private ActiveDirective live() {
        return directive.offloading(nanoClock.getAsLong());
    }
}
