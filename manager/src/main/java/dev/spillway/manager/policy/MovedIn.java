package dev.spillway.manager.policy;

import dev.spillway.agent.contract.HostLoad;
import java.util.HashMap;
import java.util.Map;

/**
 * The requests per second moved to each host over the last interval, the part of its request rate that is not its
 * own load. A host whose agent reports {@link HostLoad#getMovedInRate()} (its filters count the requests that
 * arrive with a valid hop marker) gives its own figure: counted where its requests are, over the same window as
 * its request rate. The sources' reports of what they moved to it cover their own windows, which after a step or in
 * an early cycle read a target's moved-in load at a fraction or several times of what its rate holds (BENCHMARKS.md
 * section 7, "Session 9: a backlog that never drains"). Their sum is used only for a host that does not count (an
 * older filter or agent).
 */
public final class MovedIn {
    private MovedIn() {
    }

    /**
     * @param loads the hosts' last load reports by host id (a null report: the host's figure is the sources' sum)
     * @return requests/s moved to each host that received any, by host id
     */
    public static Map<String, Double> perHost(Map<String, HostLoad> loads) {
        Map<String, Double> out = new HashMap<>();
        for (HostLoad load : loads.values()) {
            if (load == null) {
                continue;
            }
            String[] peers = load.getMovedToPeers();
            double[] rates = load.getMovedToRates();
            for (int i = 0; i < peers.length && i < rates.length; i++) {
                if (rates[i] > 0) {
                    out.merge(peers[i], rates[i], Double::sum);
                }
            }
        }
        loads.forEach((id, load) -> {
            double own = load == null ? Double.NaN : load.getMovedInRate();
            if (own >= 0) { // NaN: the host does not count its own
                out.put(id, own);
            }
        });
        return out;
    }
}
