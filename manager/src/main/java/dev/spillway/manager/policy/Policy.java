package dev.spillway.manager.policy;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.OffloadMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The whole decision of one cycle, with no I/O: observations in, one {@link HostDecision} per host out. State
 * kept between cycles (hysteresis runs, stress history, granted fractions, what was sent) lives here, per host.
 * Not thread-safe: the manager calls it from its one cycle thread.
 */
public final class Policy {
    private final PolicyConfig config;
    private final TargetSelector selector;
    private final FractionController controller;
    private final Map<String, Track> tracks = new HashMap<>();
    private volatile List<Candidate> lastCandidates = List.of();

    public Policy(PolicyConfig config) {
        this.config = config;
        this.selector = new TargetSelector(config.spread());
        this.controller = new FractionController(config.initialFraction(), config.stepUp(), config.stepDown());
    }

    /** Per-host memory of the policy. */
    private final class Track {
        final OverloadDetector detector = new OverloadDetector(config.thresholds(), config.intervalMillis());
        final FailureTracker failure = new FailureTracker(config.failAfterMisses());
        final StressFactor stress = new StressFactor(config.thresholds());
        // Renew a little before a full interval has passed, so cycle jitter never skips a renewal.
        final DirectiveTracker sent = new DirectiveTracker(config.intervalMillis() * 3 / 4);
        double granted;
        /**
         * The local rate (request rate x (1 - fraction in force)) the host served while last overloaded and above a
         * high mark, i.e. backlogged: the mean over those cycles, as an estimate of what it can serve. NaN outside
         * an offloading episode or when no rate is known.
         */
        double overloadLocalRate = Double.NaN;
        double overloadRateSum;
        int overloadRateCount;
        boolean holding;
        /** The rate a step down was judged against this cycle (for the reason). */
        double judgedRate = Double.NaN;
        /** The last request rates (hysteresis.leave of them), newest last; unknown ones are left out. */
        final java.util.ArrayDeque<Double> rates = new java.util.ArrayDeque<>();
        double picks;

        /**
         * The highest request rate of the last few samples: a step down is judged against it, so that one low
         * sample (a rate over a short sample is noisy) cannot take it, and after a real fall the steps begin once
         * the higher samples have left the window.
         */
        double recentRate(double now) {
            if (!Double.isNaN(now)) {
                rates.addLast(now);
                while (rates.size() > config.thresholds().leaveAfter()) {
                    rates.removeFirst();
                }
            }
            return rates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
        HostState state;
        Directive directive = Directive.LOCAL;
    }

    public List<HostDecision> decide(long nowMillis, List<Observation> observations) {
        Set<String> seen = new HashSet<>();
        Map<String, Observation> byId = new LinkedHashMap<>();
        for (Observation o : observations) {
            seen.add(o.id());
            byId.put(o.id(), o);
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
            } else {
                t.failure.missed(o.error() == null ? "no answer" : o.error());
            }
            HostState s = stateOf(o, t);
            states.put(o.id(), s);
            candidates.add(new Candidate(o.id(), o.zone(), s, load != null && load.isHealthUp(),
                    load != null && load.isAppHealthUp(), load == null ? -1 : load.getActiveSessions(),
                    load == null ? -1 : load.getSessionCapacity(), t.stress.value(), t.picks));
        }

        HeadroomAllocator allocator = new HeadroomAllocator(config.targetCeiling(), config.maxTargets(), candidates);
        Map<String, Integer> pickedNow = new HashMap<>();
        // Scores do not change within a cycle: sort once per zone, not once per offloading host.
        Map<String, List<Candidate>> orderedByZone = new HashMap<>();
        Map<String, HostDecision> out = new LinkedHashMap<>();
        for (Observation o : sourcesFirst(observations, states)) {
            Track t = tracks.get(o.id());
            HostState s = states.get(o.id());
            Directive d = Directive.LOCAL;
            String why;
            boolean mustLeave = (s == HostState.DRAINING || s == HostState.FAILED) && o.reachable();
            double rateNow = o.load() == null ? Double.NaN : o.load().getRequestRate();
            if (rateNow < 0) {
                rateNow = Double.NaN;
            }
            double rate = t.recentRate(rateNow);
            t.judgedRate = rate;
            if (s == HostState.OVERLOADED && t.state != HostState.OVERLOADED) {
                t.overloadRateSum = 0;
                t.overloadRateCount = 0;
            }
            if (s == HostState.OVERLOADED && t.detector.aboveHighNow() && !Double.isNaN(rateNow)) {
                // backlogged: its filters take requests up as fast as it serves its local share (moved ones hold a
                // worker for next to no time), so rate x (1 - fraction) is what it can serve
                t.overloadRateSum += rateNow * (1 - t.granted);
                t.overloadRateCount++;
                t.overloadLocalRate = t.overloadRateSum / t.overloadRateCount;
            }
            t.holding = false;
            if (mustLeave || s == HostState.OVERLOADED || (s == HostState.OK && t.granted > 0)) {
                double wanted = mustLeave ? 1.0
                        : controller.next(t.granted, s == HostState.OVERLOADED, t.detector.aboveHighNow(), rate,
                                t.overloadLocalRate);
                t.holding = s == HostState.OK && t.granted > 0 && wanted >= t.granted;
                List<Candidate> ordered = withoutSelf(o.id(), orderedByZone.computeIfAbsent(o.zone(),
                        z -> selector.order(null, z, candidates)));
                HeadroomAllocator.Allocation a = allocator.allocate(t.stress.value(), wanted, ordered, !mustLeave,
                        t.directive.targets());
                t.granted = mustLeave ? 0 : a.fraction();
                if (t.granted == 0) {
                    t.overloadLocalRate = Double.NaN;   // the episode is over
                }
                if (a.fraction() > 0) {
                    d = new Directive(config.mode(), a.targets(), a.fraction(), config.leaseMillis());
                    a.targets().forEach(id -> pickedNow.merge(id, 1, Integer::sum));
                }
                why = reason(o, t, s, d, wanted);
            } else {
                t.granted = 0;
                t.overloadLocalRate = Double.NaN;
                why = reason(o, t, s, d, 0);
            }
            boolean push = o.reachable() && t.sent.due(d, o.load().getDirectiveMode(), nowMillis);
            String log = changed(t, s, d) ? why : null;
            t.state = s;
            t.directive = d;
            out.put(o.id(), new HostDecision(o.id(), s, t.stress.value(), d, why, push, log));
        }
        for (Map.Entry<String, Track> e : tracks.entrySet()) {
            Track t = e.getValue();
            t.picks = t.picks * config.pickDecay() + pickedNow.getOrDefault(e.getKey(), 0);
        }
        // /api/route answers from this cycle's picks too, so repeated routes spread like directives do.
        List<Candidate> after = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            after.add(new Candidate(c.id(), c.zone(), c.state(), c.healthUp(), c.appHealthUp(), c.sessions(),
                    c.sessionCapacity(), c.stress(), tracks.get(c.id()).picks));
        }
        lastCandidates = List.copyOf(after);
        List<HostDecision> ordered = new ArrayList<>();
        for (String id : byId.keySet()) {
            ordered.add(out.get(id));
        }
        return ordered;
    }

    private static List<Candidate> withoutSelf(String id, List<Candidate> ordered) {
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).id().equals(id)) {
                List<Candidate> copy = new ArrayList<>(ordered);
                copy.remove(i);
                return copy;
            }
        }
        return ordered;
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
        return selector.order(null, zone, lastCandidates);
    }

    public double score(Candidate c) {
        return selector.score(c);
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

    // Drained and failed hosts must leave whatever the headroom, so they are served first; then the most stressed.
    private List<Observation> sourcesFirst(List<Observation> obs, Map<String, HostState> states) {
        List<Observation> sorted = new ArrayList<>(obs);
        sorted.sort(Comparator.<Observation>comparingInt(o -> {
            HostState s = states.get(o.id());
            return s == HostState.DRAINING || s == HostState.FAILED ? 0 : 1;
        }).thenComparingDouble(o -> {
            double v = tracks.get(o.id()).stress.value();
            return Double.isNaN(v) ? 0 : -v;
        }).thenComparing(Observation::id));
        return sorted;
    }

    private boolean changed(Track t, HostState s, Directive d) {
        if (t.state == null && s == HostState.OK && d.mode() == OffloadMode.LOCAL) {
            return false;   // a host appearing in good health is not a decision
        }
        if (t.state != s) {
            return true;
        }
        Directive p = t.directive;
        return p.mode() != d.mode() || !p.targets().equals(d.targets())
                || Math.abs(p.fraction() - d.fraction()) >= 0.05;
    }

    private String reason(Observation o, Track t, HostState s, Directive d, double wanted) {
        String id = o.id();
        String moves = d.mode() == OffloadMode.LOCAL ? null
                : id + " moves " + percent(d.fraction()) + " of eligible requests to " + String.join(", ", d.targets());
        switch (s) {
            case DRAINING:
                return moves != null ? moves + ": drained by operator"
                        : id + " is drained by operator" + (o.reachable() ? " but no target is eligible" : ", agent unreachable");
            case FAILED:
                return moves != null ? moves + ": failed, " + t.failure.reason()
                        : id + " failed: " + t.failure.reason();
            case UNKNOWN:
                return id + " state unknown: " + t.failure.reason();
            case SPARE:
                return id + " is a spare";
            case OVERLOADED:
                if (moves == null) {
                    return id + " is overloaded (" + t.detector.reason() + ") but no target has headroom: serving locally";
                }
                String capped = d.fraction() + 1e-9 < wanted ? " (wanted " + percent(wanted) + ", limited by targets' headroom)" : "";
                return moves + ": " + t.detector.reason() + capped;
            default:
                if (moves != null && t.holding) {
                    return moves + ": recovered, holding: a step down would leave it "
                            + Math.round(t.judgedRate * (1 - d.fraction() + config.stepDown()))
                            + " req/s to serve, near the " + Math.round(t.overloadLocalRate) + " req/s it overloaded at";
                }
                if (moves != null) {
                    return moves + ": recovering, stepping down";
                }
                if (t.directive.mode() != OffloadMode.LOCAL) {
                    return id + " back to serving everything locally: recovered";
                }
                if (t.state != null && t.state != HostState.OK) {
                    return id + " ok again, serving everything locally";
                }
                return id + " ok, serving everything locally";
        }
    }

    static String percent(double f) {
        return String.format(Locale.ROOT, "%d%%", Math.round(f * 100));
    }
}
