package dev.spillway.manager.policy;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.OffloadMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole decision of one cycle, with no I/O: observations in, one {@link HostDecision} per host out. State
 * kept between cycles (hysteresis runs, stress history, service times, what was sent) lives here, per host.
 * Not thread-safe: the manager calls it from its one cycle thread.
 *
 * <p>Per cycle: every host's state (ok, overloaded, failed, ...) and stress as before; then its {@link Capacity};
 * drained and failed hosts that can still be reached get a directive to move everything eligible; every other
 * reachable host gets a standing permit from the {@link PermitPlanner}, so that its filter can spill the moment its
 * own pool backs up, within budgets that never add up to more than a target's spare capacity.
 */
public final class Policy {
    /** Weight of the newest sample in a host's smoothed service time. */
    static final double SERVICE_TIME_WEIGHT = 0.3;
    /** A host's service time is a request-weighted mean until this many requests stand behind it. */
    static final double SEED_REQUESTS = 50;
    /**
     * A host whose newest sample came more than this many times the usual gap after the one before it (the usual
     * gap: the poll interval, or the host's own gap before, if longer: an agent that samples less often; by the
     * host's own clock, so no skew between hosts matters) could not run in between: a GC pause, a stopped or starved process. Its pool now
     * holds everything that arrived meanwhile, which its first samples after the gap need not show yet (its sampler
     * may run before its connector has read the waiting requests, and its rates cover the gap, when it served
     * nothing), so it looks idle: it is no target in that cycle. So is a host whose newest sample has stayed its newest
     * for that long by the manager's own clock (the first poll after a stall may return the sample from before it). Session 13's machine-wide stall: after every server
     * stopped 2 s, the first cycle granted a and c budgets of 19 and 50 req/s into b, whose queue was as long as
     * theirs, and every page that timed out was one moved there (BENCHMARKS.md 7, "Session 13: a machine-wide stall").
     */
    static final double STALL_GAP_INTERVALS = 2.0;

    private final PolicyConfig config;
    private final TargetSelector selector;
    private final PermitPlanner planner;
    private final Map<String, Track> tracks = new HashMap<>();
    private volatile LastCycle last = LastCycle.NONE;
    /** Dry run only: per host, the directive or permit the last cycle would have sent (none for LOCAL). */
    private volatile Map<String, Directive> wouldSend = Map.of();

    public Policy(PolicyConfig config) {
        this.config = config;
        this.selector = new TargetSelector(config.spread());
        this.planner = new PermitPlanner(config.maxTargets());
    }

    /** Per-host memory of the policy. */
    private final class Track {
        final OverloadDetector detector = new OverloadDetector(config.thresholds(), config.intervalMillis());
        final FailureTracker failure = new FailureTracker(config.failAfterMisses());
        final StressFactor stress = new StressFactor(config.thresholds());
        final DirectiveTracker sent = new DirectiveTracker(renewAfterMillis(config));
        double serviceTimeMillis = Double.NaN;
        /** Requests behind the estimate while it is seeded ({@link #SEED_REQUESTS}). */
        double seededFrom;
        double picks;
        boolean spilling;
        HostState state;
        Directive directive = Directive.LOCAL;
        /** The timestamp of the newest sample read (the host's clock), 0 before the first. */
        long sampledAt;
        /** The gap between the two samples before it, 0 until known. */
        long lastGap;
        /** When this manager first read the newest sample (its own clock). */
        long firstReadAt;
        /**
         * Its newest sample came {@link #STALL_GAP_INTERVALS} or more after the one before it, or no new sample has
         * come for that long by this manager's clock.
         */
        boolean justStalled;

        /**
         * Notes the sample's timestamp. A sample read again (an early cycle before the next sample) changes nothing,
         * unless it has stayed the newest for longer than the gap rule allows by this manager's own clock: a host that
         * has not sampled for that long could not run either, and the first poll after a stall can still return the
         * sample from before it (its sampler not yet run), which looks as idle as the quiet before.
         */
        void sampled(HostLoad load, long nowMillis) {
            long at = load.getTimestampMillis();
            if (at <= 0 || at < sampledAt) {
                return; // no timestamp, or an older sample than one already read: nothing to learn from it
            }
            if (at == sampledAt) {
                justStalled |= lastGap > 0 && nowMillis - firstReadAt > STALL_GAP_INTERVALS * usualGap();
                return;
            }
            long gap = sampledAt > 0 ? at - sampledAt : 0;
            justStalled = sampledAt > 0 && gap > STALL_GAP_INTERVALS * usualGap();
            lastGap = gap; // a second long gap in a row is how this host samples, not another stall
            sampledAt = at;
            firstReadAt = nowMillis;
        }

        /** The poll interval, or the host's own last gap between samples if longer (an agent that samples less often). */
        private long usualGap() {
            return Math.max(config.intervalMillis(), lastGap);
        }

        /**
         * Until {@link #SEED_REQUESTS} requests stand behind it, the estimate is their mean weighted by count: a
         * fresh server's first samples are a few readiness checks and small pages of a few ms, and taken whole they
         * promised its peers at many times what it serves (1029 req/s to 200 req/s servers, hotspot bench session 8)
         * for the cycles the smoothing took to forget them. Then an exponential average.
         */
        void serviceTime(HostLoad load) {
            double v = load == null ? Double.NaN : load.getServiceTimeMillis();
            if (!(v > 0) || Double.isInfinite(v)) {
                return;
            }
            if (seededFrom < SEED_REQUESTS) {
                double n = servedPerInterval(load);
                serviceTimeMillis = Double.isNaN(serviceTimeMillis) ? v
                        : (serviceTimeMillis * seededFrom + v * n) / (seededFrom + n);
                seededFrom += n;
            } else {
                serviceTimeMillis += SERVICE_TIME_WEIGHT * (v - serviceTimeMillis);
            }
        }

        /** About how many requests a sample's mean stands for: those served here over one interval, at least 1. */
        private double servedPerInterval(HostLoad load) {
            double rate = load.getRequestRate();
            double moved = load.getMovedRate();
            double served = (rate > 0 ? rate : 0) - (moved > 0 ? moved : 0);
            return Math.max(1, served * config.intervalMillis() / 1000.0);
        }
    }

    /**
     * How long after a send an unchanged directive is sent again: at half its lease (a thousand hosts are not
     * re-sent the same permit every cycle), but early enough that a renewal that fails has one more cycle to be
     * retried before the lease ends (two intervals and a quarter, for cycle jitter). With {@code lease.intervals} 3
     * or less that is every cycle; with the default 4, every second cycle.
     */
    static long renewAfterMillis(PolicyConfig config) {
        long interval = config.intervalMillis();
        return Math.max(0, Math.min(config.leaseMillis() / 2, config.leaseMillis() - 2 * interval - interval / 4));
    }

    public List<HostDecision> decide(long nowMillis, List<Observation> observations) {
        Set<String> seen = new HashSet<>();
        for (Observation o : observations) {
            seen.add(o.id());
        }
        tracks.keySet().retainAll(seen);

        Map<String, HostState> states = new LinkedHashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        for (Observation o : observations) {
            Track t = tracks.computeIfAbsent(o.id(), id -> new Track());
            HostLoad load = o.load();
            if (load != null) {
                t.failure.polled(load.isHealthUp(), load.isAppHealthUp());
                t.detector.update(load);
                t.stress.update(load);
                t.serviceTime(load);
                t.sampled(load, nowMillis);
            } else {
                t.failure.missed(o.error() == null ? "no answer" : o.error());
            }
            HostState s = stateOf(o, t);
            states.put(o.id(), s);
            candidates.add(new Candidate(o.id(), o.zone(), s, load != null && load.isHealthUp(),
                    load != null && load.isAppHealthUp(), load == null ? -1 : load.getActiveSessions(),
                    load == null ? -1 : load.getSessionCapacity(), t.stress.value(), t.picks,
                    config.sessionThreshold()));
        }
        ClusterCapacity cluster = ClusterCapacity.estimate(observations, id -> tracks.get(id).serviceTimeMillis,
                config.share(), MoveCost.of(config.mode()));
        Map<String, Capacity> capacities = cluster.capacities();
        double fill = cluster.fill();

        // Drained and failed hosts move everything eligible, whatever the budgets: their requests must go somewhere.
        Map<String, Double> spare = new HashMap<>();
        for (Candidate c : candidates) {
            if (c.mayTakeSpill() && !tracks.get(c.id()).justStalled) {
                spare.put(c.id(), capacities.get(c.id()).spare());
            }
        }
        Map<String, Directive> directives = new HashMap<>();
        Map<String, Integer> pickedNow = new HashMap<>();
        for (Observation o : observations) {
            HostState s = states.get(o.id());
            if ((s == HostState.DRAINING || s == HostState.FAILED) && o.reachable()) {
                List<String> targets = drainTargets(o.id(), o.zone(), candidates, capacities);
                if (!targets.isEmpty()) {
                    directives.put(o.id(), new Directive(config.mode(), targets, 1.0, config.leaseMillis()));
                    double rate = o.load().getRequestRate();
                    for (String id : targets) {
                        if (rate > 0) {
                            spare.merge(id, -rate / targets.size(), (a, b) -> Math.max(0, a + b));
                        }
                    }
                }
            }
        }

        // Everyone else that can be reached holds a standing permit, sized from the targets' spare capacity.
        List<PermitPlanner.Source> sources = new ArrayList<>();
        for (Observation o : observations) {
            HostState s = states.get(o.id());
            if (o.reachable() && (s == HostState.OK || s == HostState.OVERLOADED)) {
                Directive held = tracks.get(o.id()).directive;
                // Its backlog is not added to its need whole: budgets that would move a queue within a second let the
                // valve pour it onto the targets in a burst their own workers then queue (shape 1, redirect: the peers'
                // p99 418-470 ms in the first seconds, session 8). It is drained over PermitPlanner.DRAIN_SECONDS,
                // from what the targets have left after every need. A target's backlog comes off its spare (Capacity).
                sources.add(new PermitPlanner.Source(o.id(), o.zone(), capacities.get(o.id()),
                        o.load().getOverBudgetRate(), held.isPermit() ? held.targets() : List.of(),
                        o.load().getMovedRate(), Capacity.backlog(o.load()),
                        held.isPermit() ? heldBudgets(held.targets(), tracks.get(o.id()).sent.lastSent()) : List.of()));
            }
        }
        List<PermitPlanner.Target> targets = new ArrayList<>();
        for (Candidate c : candidates) {
            if (spare.containsKey(c.id())) {
                targets.add(new PermitPlanner.Target(c.id(), c.zone(), spare.get(c.id())));
            }
        }
        Map<String, PermitPlanner.Grant> grants = planner.plan(sources, targets, fill);
        boolean everyPoolBackedUp = everyPoolBackedUp(observations, states);
        grants.forEach((id, g) -> {
            if (!g.targets().isEmpty()) {
                directives.put(id, Directive.permit(config.mode(), g.targets(), g.budgets(), config.leaseMillis()));
            } else if (everyPoolBackedUp) {
                Directive kept = keptThroughStall(id, capacities.get(id), fill, observations, spare.keySet());
                if (kept != null) {
                    directives.put(id, kept);
                }
            }
        });

        // Requests actually moved count as picks of their targets (for the spread of /api/route).
        for (Observation o : observations) {
            if (o.load() != null) {
                String[] peers = o.load().getMovedToPeers();
                double[] rates = o.load().getMovedToRates();
                for (int i = 0; i < peers.length && i < rates.length; i++) {
                    if (rates[i] > DecisionText.SPILLING_RATE && seen.contains(peers[i])) {
                        pickedNow.merge(peers[i], 1, Integer::sum);
                    }
                }
            }
        }

        List<HostDecision> out = new ArrayList<>();
        Map<String, Directive> would = new java.util.LinkedHashMap<>();
        for (Observation o : observations) {
            Track t = tracks.get(o.id());
            HostState s = states.get(o.id());
            Directive d = directives.getOrDefault(o.id(), Directive.LOCAL);
            SendReason send = config.enabled() && o.reachable() ? t.sent.reason(d, o.load().getDirectiveMode(),
                    nowMillis, needsMore(o, capacities.get(o.id()), fill)) : null;
            boolean push = send != null;
            Directive held = t.sent.lastSent();
            if (config.enabled() && o.reachable() && !push && held != null && !DirectiveTracker.same(held, d)
                    && DirectiveTracker.onlyGrew(held, d)) {
                d = held; // grown budgets held back until the renewal: the host still holds these, so show them
            }
            double moved = o.load() == null ? Double.NaN : o.load().getMovedRate();
            boolean spilling = d.isPermit() && moved > DecisionText.SPILLING_RATE;
            String why = DecisionText.reason(o.id(), o.reachable(), s, t.state, d, moved, t.failure.reason(),
                    t.detector.reason());
            // Dry run: the would-be directive is tracked and logged like a real one (so "would grant" appears when
            // it would have been sent), but the host is told nothing and holds LOCAL as far as the web layer says.
            Directive inForce = d;
            if (!config.enabled()) {
                why = DecisionText.dryRun(why, d);
                if (d.mode() != OffloadMode.LOCAL) {
                    would.put(o.id(), d);
                }
                inForce = Directive.LOCAL;
                send = null;
            }
            String log = DecisionText.worthALine(t.state, t.directive, t.spilling, s, d, spilling) ? why : null;
            t.state = s;
            t.directive = d;
            t.spilling = spilling;
            out.add(new HostDecision(o.id(), s, t.stress.value(), inForce, why, send, log));
        }
        wouldSend = Map.copyOf(would);
        for (Map.Entry<String, Track> e : tracks.entrySet()) {
            Track t = e.getValue();
            t.picks = t.picks * config.pickDecay() + pickedNow.getOrDefault(e.getKey(), 0);
        }
        // /api/route answers from this cycle's picks too, so repeated routes spread like directives do.
        List<Candidate> after = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            after.add(new Candidate(c.id(), c.zone(), c.state(), c.healthUp(), c.appHealthUp(), c.sessions(),
                    c.sessionCapacity(), c.stress(), tracks.get(c.id()).picks, c.sessionThreshold()));
        }
        last = new LastCycle(after, new ClusterCapacity(capacities, fill));
        return out;
    }

    /**
     * The budgets the host's filter holds for {@code targets} (those of the permit last sent to it; NaN for a target
     * it was not sent): not the last cycle's plan, which drifts within the 10% that is not worth a send.
     */
    private static List<Double> heldBudgets(List<String> targets, Directive sent) {
        List<Double> out = new ArrayList<>(targets.size());
        for (String t : targets) {
            int at = sent == null || !sent.isPermit() ? -1 : sent.targets().indexOf(t);
            out.add(at < 0 || at >= sent.budgets().size() ? Double.NaN : sent.budgets().get(at));
        }
        return out;
    }

    /**
     * Every reachable host in service (ok or overloaded) shows requests waiting for its workers: a stall of the whole
     * machine (or a step it met all at once), when no host has spare by its backlog.
     */
    private static boolean everyPoolBackedUp(List<Observation> observations, Map<String, HostState> states) {
        int hosts = 0;
        for (Observation o : observations) {
            HostState s = states.get(o.id());
            if (o.reachable() && (s == HostState.OK || s == HostState.OVERLOADED)) {
                if (!(Capacity.backlog(o.load()) > 0)) {
                    return false;
                }
                hosts++;
            }
        }
        return hosts > 1;
    }

    /**
     * While every pool is backed up nobody has spare, and the plan withdraws every permit; but a host with measured
     * need (beyond its share, or spilling over budget) keeps the permit it holds, to the targets of it that may still
     * take spills (none read just after a gap in its samples): its queue is the one that lasts, the others' clear as
     * soon as the stall ends. Session 14's shape 3 collapse: a's permit withdrawn for 3 s at the step, its queue grew
     * to 500 and its p50 stayed over a second to the end of the row. Hosts with no need get nothing (their floors would
     * only move pages between queues as long as their own: session 13). Null when there is nothing to keep.
     */
    private Directive keptThroughStall(String id, Capacity c, double fill, List<Observation> observations,
                                       Set<String> mayTake) {
        Directive held = tracks.get(id).directive;
        Observation self = null;
        for (Observation o : observations) {
            if (o.id().equals(id)) {
                self = o;
            }
        }
        if (!held.isPermit() || self == null || !needsMore(self, c, fill)) {
            return null;
        }
        List<String> ts = new ArrayList<>();
        List<Double> budgets = new ArrayList<>();
        for (int i = 0; i < held.targets().size() && i < held.budgets().size(); i++) {
            if (mayTake.contains(held.targets().get(i))) {
                ts.add(held.targets().get(i));
                budgets.add(held.budgets().get(i));
            }
        }
        return ts.isEmpty() ? null : Directive.permit(config.mode(), ts, budgets, config.leaseMillis());
    }

    /** A host that may need more budget than it holds: beyond its share of its capacity, or spilling over budget. */
    private static boolean needsMore(Observation o, Capacity c, double fill) {
        return o.load() != null && (o.load().getOverBudgetRate() > 0 || c == null || c.excess(fill) > 0);
    }

    /**
     * Where a drained or failed host sends everything: ok hosts by the selector's order; failing those (every other
     * host flagged overloaded, e.g. by a shared machine's CPU), the hosts that may take spills, most spare first.
     */

    private List<String> drainTargets(String id, String zone, List<Candidate> candidates,
                                      Map<String, Capacity> capacities) {
        List<String> ok = selector.order(id, zone, candidates).stream().limit(config.maxTargets())
                .map(Candidate::id).toList();
        if (!ok.isEmpty()) {
            return ok;
        }
        return candidates.stream().filter(c -> c.mayTakeSpill() && !c.id().equals(id))
                .sorted(java.util.Comparator.comparingDouble((Candidate c) -> -capacities.get(c.id()).spare())
                        .thenComparing(Candidate::id))
                .limit(config.maxTargets()).map(Candidate::id).toList();
    }

    /**
     * True in a dry run ({@code offload.enabled=false}): every decision is computed and shown as "would …", and
     * nothing is sent.
     */
    public boolean dryRun() {
        return !config.enabled();
    }

    /** In a dry run, per host the directive or permit the last cycle would have sent; empty otherwise. */
    public Map<String, Directive> wouldSend() {
        return wouldSend;
    }

    /** The part of their capacity targets were filled to in the last cycle (offload.share or more). */
    public double fill() {
        return last.capacity().fill();
    }

    /** Records that the directive reached the host (only then is a renewal counted). */
    public void sent(String hostId, Directive d, long nowMillis) {
        Track t = tracks.get(hostId);
        if (t != null) {
            t.sent.sent(d, nowMillis);
        }
    }

    /** Hosts best first for a new request from {@code zone} (may be empty), as of the last cycle. */
    public List<Candidate> route(String zone) {
        return last.route(selector, zone);
    }

    public double score(Candidate c) {
        return selector.score(c);
    }

    /** Each host's capacity estimate as of the last cycle (for the API and dashboard). */
    public Map<String, Capacity> capacities() {
        return last.capacity().capacities();
    }

    private HostState stateOf(Observation o, Track t) {
        if (o.drained()) {
            return HostState.DRAINING;
        }
        if (o.spare()) {
            return HostState.SPARE;
        }
        HostState failed = t.failure.state();
        if (failed != null) {
            return failed;
        }
        return t.detector.overloaded() ? HostState.OVERLOADED : HostState.OK;
    }
}
