package dev.spillway.manager.route;

import java.net.InetAddress;
import java.util.Map;

/**
 * What ordering needs besides the policy's candidates: the host's address, the round-trip times its agent
 * reported per client network key (see {@link ClientNetwork#key}), its application-health response time in ms and
 * how long its agent took to answer the manager's last poll in ms (each NaN when unknown).
 */
public record HostFacts(String id, InetAddress address, Map<String, Double> rttMillisByNetwork,
                        double appHealthMillis, double pollMillis) {
    public HostFacts {
        rttMillisByNetwork = Map.copyOf(rttMillisByNetwork);
    }

    public HostFacts(String id, InetAddress address, Map<String, Double> rttMillisByNetwork, double appHealthMillis) {
        this(id, address, rttMillisByNetwork, appHealthMillis, Double.NaN);
    }

    public HostFacts(String id, InetAddress address, Map<String, Double> rttMillisByNetwork) {
        this(id, address, rttMillisByNetwork, Double.NaN, Double.NaN);
    }
}
