package dev.spillway.manager.web;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who moves requests to whom right now: per pair of hosts, the rate the source reports it moved to the target over
 * the last interval, beside the budget its permit grants for that target.
 */
public final class Flows {
    private Flows() {
    }

    /**
     * One arrow of the dashboard's flow picture. {@code perSecond} is NaN when the source's moves are unknown;
     * {@code budget} is NaN when the source may move there without a budget (a fraction directive) or 0 when no
     * permit names the target.
     */
    public record Flow(String from, String to, double perSecond, double budget) {
    }

    /** Every pair with requests moved or a target named, ordered by source, then target. */
    public static List<Flow> of(List<? extends HostSnapshot> hosts) {
        List<Flow> out = new ArrayList<>();
        for (HostSnapshot h : hosts) {
            Map<String, Double> moved = movedTo(h.load());
            Map<String, Double> granted = granted(h.directive());
            Map<String, Boolean> peers = new TreeMap<>();
            moved.keySet().forEach(p -> peers.put(p, true));
            granted.keySet().forEach(p -> peers.put(p, true));
            for (String peer : peers.keySet()) {
                double rate = h.load() == null ? Double.NaN : moved.getOrDefault(peer, 0.0);
                out.add(new Flow(h.id(), peer, rate, granted.getOrDefault(peer, 0.0)));
            }
        }
        return out;
    }

    /**
     * Per host id, the requests per second moved to it: its own count where its agent reports one, else what the
     * other hosts report they moved to it ({@link dev.spillway.manager.policy.MovedIn}, as the manager's capacity
     * reads it).
     */
    public static Map<String, Double> movedHerePerSecond(List<? extends HostSnapshot> hosts) {
        Map<String, HostLoad> loads = new HashMap<>();
        for (HostSnapshot h : hosts) {
            loads.put(h.id(), h.load());
        }
        return dev.spillway.manager.policy.MovedIn.perHost(loads);
    }

    /** Per host id, the requests per second the other hosts report they moved to it. */
    public static Map<String, Double> receivedPerSecond(List<? extends HostSnapshot> hosts) {
        Map<String, Double> in = new HashMap<>();
        for (HostSnapshot h : hosts) {
            movedTo(h.load()).forEach((peer, rate) -> in.merge(peer, rate, Double::sum));
        }
        return in;
    }

    private static Map<String, Double> movedTo(HostLoad load) {
        Map<String, Double> out = new TreeMap<>();
        if (load == null) {
            return out;
        }
        String[] peers = load.getMovedToPeers();
        double[] rates = load.getMovedToRates();
        for (int i = 0; i < Math.min(peers.length, rates.length); i++) {
            if (rates[i] > 0) {
                out.merge(peers[i], rates[i], Double::sum);
            }
        }
        return out;
    }

    private static Map<String, Double> granted(Directive d) {
        Map<String, Double> out = new TreeMap<>();
        for (int i = 0; i < d.targets().size(); i++) {
            out.put(d.targets().get(i), i < d.budgets().size() ? d.budgets().get(i) : Double.NaN);
        }
        return out;
    }
}
