package dev.spillway.manager;

import dev.spillway.agent.contract.HostLoad;
import dev.spillway.manager.route.HostAddress;
import dev.spillway.manager.route.HostFacts;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Each host's address, measured client round-trip times, application-health and poll times, from the loop's last
 * views. Rebuilt only when a cycle published new views, so a name answer costs a map lookup, not a parse.
 */
final class RouteFacts implements Supplier<Map<String, HostFacts>> {
    private final ControlLoop loop;
    private final Map<String, InetAddress> configured;
    private volatile Cached cached = new Cached(null, Map.of());

    private record Cached(List<HostView> views, Map<String, HostFacts> facts) {
    }

    RouteFacts(ControlLoop loop, Map<String, InetAddress> configured) {
        this.loop = loop;
        this.configured = configured;
    }

    @Override
    public Map<String, HostFacts> get() {
        List<HostView> views = loop.views();
        Cached c = cached;
        if (c.views() == views) {
            return c.facts();
        }
        Map<String, HostFacts> out = new HashMap<>();
        for (HostView v : views) {
            InetAddress a = configured.get(v.id());
            if (a == null) {
                a = HostAddress.of(null, v.webBaseUrl());
            }
            double appHealth = v.load() == null ? Double.NaN : v.load().getAppHealthResponseMillis();
            out.put(v.id(), new HostFacts(v.id(), a, rtts(v.load()), appHealth, v.pollMillis()));
        }
        Map<String, HostFacts> facts = Map.copyOf(out);
        cached = new Cached(views, facts);
        return facts;
    }

    private static Map<String, Double> rtts(HostLoad load) {
        if (load == null) {
            return Map.of();
        }
        String[] networks = load.getClientNetworks();
        double[] rtts = load.getClientRttMillis();
        Map<String, Double> out = new HashMap<>();
        for (int i = 0; i < networks.length && i < rtts.length; i++) {
            if (rtts[i] >= 0 && !Double.isInfinite(rtts[i])) {
                out.put(networks[i], rtts[i]);
            }
        }
        return out;
    }
}
