package dev.spillway.manager.route;

import java.net.InetAddress;
import java.util.Map;

/**
 * What ordering needs besides the policy's candidates: the host's address, the round-trip times its agent
 * reported per client network key (see {@link ClientNetwork#key}), and its application-health response time in ms
 * (NaN when unknown).
 */
public record HostFacts(String id, InetAddress address, Map<String, Double> rttMillisByNetwork,
                        double appHealthMillis) {
    public HostFacts {
        rttMillisByNetwork = Map.copyOf(rttMillisByNetwork);
    }

    public HostFacts(String id, InetAddress address, Map<String, Double> rttMillisByNetwork) {
        this(id, address, rttMillisByNetwork, Double.NaN);
    }
}
