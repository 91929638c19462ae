package dev.spillway.manager.route;

import dev.spillway.manager.policy.Candidate;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The one place that orders hosts for a new client, used by {@code GET /api/route} and by the name answers. Only the
 * policy's eligible hosts are listed (ok, healthy, application-healthy, under their session threshold); drained,
 * failed, spare, unknown and overloaded hosts are left out. Order, best first:
 * <ol>
 *   <li>same zone as asked first (when a zone is asked);</li>
 *   <li>then by {@code order = score + picks + rtt + appHealth + poll + sessions}, where {@code score} is the
 *   policy's selection score ({@code stress + spread × recent moved-request picks}), {@code picks} is
 *   {@link AnswerPicks#term} (name answers count as picks, so repeated lookups spread over equal hosts) and
 *   {@code rtt = rttMillis / rttScaleMillis} for a client whose network (its /24 or /48) some host has measured,
 *   0 otherwise. A host that has not measured that
 *   network counts as the mean of those that have, so missing data neither helps nor hurts it;
 *   {@code appHealth = appHealthResponseMillis / rttScaleMillis}, the host's last application-health response
 *   time, weighed like round-trip time (both are milliseconds a new client waits), unknown counted the same way;
 *   {@code poll = pollMillis / rttScaleMillis}, how long the host's agent took to answer the manager's last poll
 *   (a host slow to answer is likely slow to serve), unknown counted as the mean; and
 *   {@code sessions = sessionWeight × sessions / sessionCapacity}, so a host with more session room comes first
 *   among equals (no term when either figure is unknown);</li>
 *   <li>then by id, so the order is stable.</li>
 * </ol>
 * The part that changes once per cycle (eligible hosts, scores, addresses, round-trip tables) is computed once per
 * new set of facts; per call only the picks and the client's network are looked up.
 */
public final class RouteOrder {
    private final Function<String, List<Candidate>> eligible;
    private final ToDoubleFunction<Candidate> score;
    private final Supplier<Map<String, HostFacts>> facts;
    private final AnswerPicks picks;
    private final double spread;
    private final double rttScaleMillis;
    private final double sessionWeight;
    private volatile Base base = new Base(null, List.of(), new String[0], new double[0], new HostFacts[0]);

    /** The eligible hosts in policy order with their scores and facts, as of one set of facts. */
    private record Base(Map<String, HostFacts> facts, List<Candidate> hosts, String[] ids, double[] scores,
                        HostFacts[] hostFacts) {
    }

    /**
     * The terms that do not depend on the client, added to each host's score once per cycle: application-health
     * time and poll time (milliseconds a new client waits, or a sign of a host slow to answer, weighed like
     * round-trip time) and the used share of its session capacity.
     */
    private double[] cycleTerms(List<Candidate> hosts, double[] scores, HostFacts[] facts) {
        double[] out = scores.clone();
        addMillis(out, facts, HostFacts::appHealthMillis);
        addMillis(out, facts, HostFacts::pollMillis);
        for (int i = 0; i < out.length; i++) {
            double share = hosts.get(i).sessionShare();
            if (!Double.isNaN(share)) {
                out[i] += sessionWeight * share;
            }
        }
        return out;
    }

    /** Adds {@code millis / rttScaleMillis}; a host without the figure counts as the mean of those with it. */
    private void addMillis(double[] out, HostFacts[] facts, ToDoubleFunction<HostFacts> figure) {
        double sum = 0;
        int known = 0;
        for (HostFacts f : facts) {
            double v = f == null ? Double.NaN : figure.applyAsDouble(f);
            if (v >= 0 && !Double.isInfinite(v)) {
                sum += v;
                known++;
            }
        }
        if (known == 0) {
            return;
        }
        double mean = sum / known;
        for (int i = 0; i < out.length; i++) {
            double v = facts[i] == null ? Double.NaN : figure.applyAsDouble(facts[i]);
            out[i] += (v >= 0 && !Double.isInfinite(v) ? v : mean) / rttScaleMillis;
        }
    }

    /**
     * @param eligible       the policy's eligible hosts for a zone, as of its last cycle
     * @param score          the policy's selection score
     * @param facts          addresses and measured round-trip times per host id; a new map means a new cycle
     * @param rttScaleMillis how many milliseconds of round-trip time weigh as much as 1.0 of score
     * @param sessionWeight  what a full session capacity weighs ({@code sessions.weight}; 0 = no session term)
     */
    public RouteOrder(Function<String, List<Candidate>> eligible, ToDoubleFunction<Candidate> score,
                      Supplier<Map<String, HostFacts>> facts, AnswerPicks picks, double spread, double rttScaleMillis,
                      double sessionWeight) {
        if (!(rttScaleMillis > 0)) {
            throw new IllegalArgumentException("rttScaleMillis must be > 0");
        }
        if (!(sessionWeight >= 0) || Double.isInfinite(sessionWeight)) {
            throw new IllegalArgumentException("sessionWeight must be >= 0");
        }
        this.sessionWeight = sessionWeight;
        this.eligible = eligible;
        this.score = score;
        this.facts = facts;
        this.picks = picks;
        this.spread = spread;
        this.rttScaleMillis = rttScaleMillis;
    }

    private Base base(String zone) {
        Map<String, HostFacts> known = facts.get();
        Base b = base;
        if (zone.isEmpty() && b.facts() == known) {
            return b;
        }
        List<Candidate> hosts = eligible.apply(zone);
        int n = hosts.size();
        String[] ids = new String[n];
        double[] scores = new double[n];
        HostFacts[] f = new HostFacts[n];
        for (int i = 0; i < n; i++) {
            Candidate c = hosts.get(i);
            ids[i] = c.id();
            scores[i] = score.applyAsDouble(c);
            f[i] = known.get(c.id());
        }
        Base fresh = new Base(known, hosts, ids, cycleTerms(hosts, scores, f), f);
        if (zone.isEmpty()) {
            base = fresh;
        }
        return fresh;
    }

    /**
     * @param zone   the zone to prefer, or "" for none
     * @param client the client's (or its resolver's, or its EDNS subnet's) address, or null when unknown
     */
    public List<RoutedHost> order(String zone, InetAddress client) {
        String z = zone == null ? "" : zone;
        Base b = base(z);
        int n = b.ids().length;
        String network = client == null ? null : ClientNetwork.key(client);
        double[] rtt = new double[n];
        double sum = 0;
        int measured = 0;
        for (int i = 0; i < n; i++) {
            HostFacts f = b.hostFacts()[i];
            Double v = f == null || network == null ? null : f.rttMillisByNetwork().get(network);
            if (v != null && v >= 0 && !v.isNaN()) {
                rtt[i] = v;
                sum += v;
                measured++;
            } else {
                rtt[i] = Double.NaN;
            }
        }
        double mean = measured == 0 ? Double.NaN : sum / measured;
        double[] pickTerms = picks.terms(b.ids(), spread);
        boolean zoned = !z.isEmpty();
        Integer[] idx = new Integer[n];
        double[] key = new double[n];
        int[] zoneRank = new int[n];
        for (int i = 0; i < n; i++) {
            double rttTerm = measured == 0 ? 0 : (Double.isNaN(rtt[i]) ? mean : rtt[i]) / rttScaleMillis;
            key[i] = b.scores()[i] + pickTerms[i] + rttTerm;
            zoneRank[i] = zoned && z.equals(b.hosts().get(i).zone()) ? 0 : 1;
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (x, y) -> {
            int c = Integer.compare(zoneRank[x], zoneRank[y]);
            if (c == 0) {
                c = Double.compare(key[x], key[y]);
            }
            return c != 0 ? c : b.ids()[x].compareTo(b.ids()[y]);
        });
        List<RoutedHost> out = new ArrayList<>(n);
        for (int i : idx) {
            Candidate c = b.hosts().get(i);
            HostFacts f = b.hostFacts()[i];
            out.add(new RoutedHost(c.id(), c.zone(), c.stress(), key[i], rtt[i], f == null ? null : f.address()));
        }
        return out;
    }

    /** Counts the first host of an answer a client was given as a pick. */
    public void answered(List<RoutedHost> answer) {
        if (!answer.isEmpty()) {
            picks.picked(answer.get(0).id());
        }
    }
}
