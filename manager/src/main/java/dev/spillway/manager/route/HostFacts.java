package dev.spillway.manager.route;

import java.net.InetAddress;
import java.util.Map;

/**
 * What ordering needs besides the policy's candidates: the host's address and the round-trip times its agent
 * reported, per client network key (see {@link ClientNetwork#key()}).
 */
public record HostFacts(String id, InetAddress address, Map<String, Double> rttMillisByNetwork) {
    public HostFacts {
        rttMillisByNetwork = Map.copyOf(rttMillisByNetwork);
    }
}
