package dev.spillway.manager.route;

import dev.spillway.manager.policy.Candidate;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The one place that orders hosts for a new client, used by {@code GET /api/route} and by the name answers. Only the
 * policy's eligible hosts are listed (ok, healthy, application-healthy, under their session capacity); drained,
 * failed, spare, unknown and overloaded hosts are left out. Order, best first:
 * <ol>
 *   <li>same zone as asked first (when a zone is asked);</li>
 *   <li>then by {@code order = score + picks + rtt}, where {@code score} is the policy's selection score
 *   ({@code stress + spread × recent moved-request picks}), {@code picks} is {@link AnswerPicks#term} (name answers
 *   count as picks, so repeated lookups spread over equal hosts) and {@code rtt = rttMillis / rttScaleMillis} for a
 *   client whose network (its /24 or /48) some host has measured, 0 otherwise. A host that has not measured that
 *   network counts as the mean of those that have, so missing data neither helps nor hurts it;</li>
 *   <li>then by id, so the order is stable.</li>
 * </ol>
 */
public final class RouteOrder {
    private final Function<String, List<Candidate>> eligible;
    private final ToDoubleFunction<Candidate> score;
    private final Supplier<Map<String, HostFacts>> facts;
    private final AnswerPicks picks;
    private final double spread;
    private final double rttScaleMillis;

    /**
     * @param eligible       the policy's eligible hosts for a zone, as of its last cycle
     * @param score          the policy's selection score
     * @param facts          addresses and measured round-trip times per host id (called once per order; keep it cheap)
     * @param rttScaleMillis how many milliseconds of round-trip time weigh as much as 1.0 of score
     */
    public RouteOrder(Function<String, List<Candidate>> eligible, ToDoubleFunction<Candidate> score,
                      Supplier<Map<String, HostFacts>> facts, AnswerPicks picks, double spread, double rttScaleMillis) {
        if (!(rttScaleMillis > 0)) {
            throw new IllegalArgumentException("rttScaleMillis must be > 0");
        }
        this.eligible = eligible;
        this.score = score;
        this.facts = facts;
        this.picks = picks;
        this.spread = spread;
        this.rttScaleMillis = rttScaleMillis;
    }

    /**
     * @param zone   the zone to prefer, or "" for none
     * @param client the client's (or its resolver's, or its EDNS subnet's) address, or null when unknown
     */
    public List<RoutedHost> order(String zone, InetAddress client) {
        List<Candidate> hosts = eligible.apply(zone == null ? "" : zone);
        Map<String, HostFacts> known = facts.get();
        String network = client == null ? null : ClientNetwork.key(client);
        Map<String, Double> rtt = new HashMap<>();
        double sum = 0;
        for (Candidate c : hosts) {
            HostFacts f = known.get(c.id());
            Double v = f == null || network == null ? null : f.rttMillisByNetwork().get(network);
            if (v != null && v >= 0 && !v.isNaN()) {
                rtt.put(c.id(), v);
                sum += v;
            }
        }
        double mean = rtt.isEmpty() ? Double.NaN : sum / rtt.size();
        List<RoutedHost> out = new ArrayList<>(hosts.size());
        Map<String, Double> orderBy = new HashMap<>();
        for (Candidate c : hosts) {
            double measured = rtt.getOrDefault(c.id(), Double.NaN);
            double rttTerm = rtt.isEmpty() ? 0 : (Double.isNaN(measured) ? mean : measured) / rttScaleMillis;
            double s = score.applyAsDouble(c) + picks.term(c.id(), hosts.size(), spread) + rttTerm;
            HostFacts f = known.get(c.id());
            orderBy.put(c.id(), s);
            out.add(new RoutedHost(c.id(), c.zone(), c.stress(), s, measured, f == null ? null : f.address()));
        }
        boolean zoned = zone != null && !zone.isEmpty();
        out.sort(Comparator.comparingInt((RoutedHost h) -> zoned && zone.equals(h.zone()) ? 0 : 1)
                .thenComparingDouble(h -> orderBy.get(h.id())).thenComparing(RoutedHost::id));
        return out;
    }

    /** Counts the first host of an answer a client was given as a pick. */
    public void answered(List<RoutedHost> answer) {
        if (!answer.isEmpty()) {
            picks.picked(answer.get(0).id());
        }
    }
}
