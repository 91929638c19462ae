package dev.spillway.agent.sampling;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Round-trip times per client network (/24 for IPv4, /48 for IPv6), bounded: at most {@code maxNetworks} are
 * remembered, the least recently seen is forgotten first, and a network unseen for {@code expiryMs} is dropped.
 * Per sample, a network's figure is the mean smoothed RTT of its connections; across samples it is smoothed again
 * ({@value #WEIGHT} on the newest), so one odd sample moves it by a third. Not thread-safe (the sampler thread).
 */
final class ClientRttTable {
    static final double WEIGHT = 1.0 / 3;

    private final int maxNetworks;
    private final long expiryMs;
    // access order: the eldest entry is the least recently seen
    private final LinkedHashMap<String, Entry> networks = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Entry {
        double rttMillis;
        int connections;
        long seenMs;
    }

    /** A network's figures as reported: key, smoothed RTT, connections in the last sample that saw it. */
    record Network(String key, double rttMillis, int connections) {
    }

    ClientRttTable(int maxNetworks, long expiryMs) {
        this.maxNetworks = maxNetworks;
        this.expiryMs = expiryMs;
    }

    void update(List<SocketRtt> sockets, long nowMs) {
        Map<String, double[]> sums = new HashMap<>();
        for (SocketRtt s : sockets) {
            double[] sum = sums.computeIfAbsent(key(s.peer()), k -> new double[2]);
            sum[0] += s.rttMillis();
            sum[1]++;
        }
        sums.forEach((key, sum) -> {
            double mean = sum[0] / sum[1];
            Entry e = networks.get(key);
            if (e == null) {
                e = new Entry();
                e.rttMillis = mean;
                networks.put(key, e);
            } else {
                e.rttMillis += WEIGHT * (mean - e.rttMillis);
            }
            e.connections = (int) sum[1];
            e.seenMs = nowMs;
        });
        networks.values().removeIf(e -> nowMs - e.seenMs > expiryMs);
        var it = networks.entrySet().iterator();
        while (networks.size() > maxNetworks && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** The {@code n} networks with the most connections (then the lowest key), for the report. */
    List<Network> top(int n) {
        List<Network> all = new ArrayList<>(networks.size());
        // iterate without touching access order
        for (Map.Entry<String, Entry> e : List.copyOf(networks.entrySet())) {
            all.add(new Network(e.getKey(), e.getValue().rttMillis, e.getValue().connections));
        }
        all.sort(Comparator.comparingInt((Network x) -> -x.connections()).thenComparing(Network::key));
        return all.subList(0, Math.min(n, all.size()));
    }

    int size() {
        return networks.size();
    }

    /** {@code a.b.c.0/24} or {@code x:y:z::/48}: the manager's {@code route.ClientNetwork} uses the same form. */
    static String key(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
        }
        return String.format("%x:%x:%x::/48", ((b[0] & 0xff) << 8) | (b[1] & 0xff), ((b[2] & 0xff) << 8)
                | (b[3] & 0xff), ((b[4] & 0xff) << 8) | (b[5] & 0xff));
    }
}
