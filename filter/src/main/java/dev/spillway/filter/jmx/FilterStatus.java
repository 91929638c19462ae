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
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/** The filter's MXBean: reads counters, probe and directive; the directive and permit operations write. */
public final class FilterStatus implements FilterMXBean {
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
    }

    @Override public String getContextPath() { return contextPath; }
    @Override public int getQueueLength() { return probe.queueLength(); }
    @Override public int getWaitingRequests() { return probe.waiting(); }
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
        return directive.apply(Directive.permitOf(mode, targets, budgetsPerSecond, leaseMillis).withEpoch(epoch));
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
