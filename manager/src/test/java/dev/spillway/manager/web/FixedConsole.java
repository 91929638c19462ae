package dev.spillway.manager.web;

import dev.spillway.manager.DecisionLog;
import dev.spillway.manager.History;
import dev.spillway.manager.HostView;
import dev.spillway.manager.policy.TargetSelector;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A console over fixed data ({@link Samples}), to serve known documents from a real {@link WebServer}. */
final class FixedConsole implements ManagerConsole {
    final List<HostView> hosts;
    final DecisionLog decisions;
    final History history;
    final Set<String> drained = ConcurrentHashMap.newKeySet();
    volatile long cycles = 1;

    FixedConsole(List<HostView> hosts, DecisionLog decisions, History history) {
        this.hosts = hosts;
        this.decisions = decisions;
        this.history = history;
    }

    static FixedConsole samples() {
        return new FixedConsole(Samples.hosts(), Samples.decisions(), Samples.history());
    }

    @Override
    public List<HostView> hosts() {
        return hosts;
    }

    @Override
    public List<Decision> decisions() {
        return decisions.entries().stream().map(e -> new Decision(e.timeMillis(), e.hostId(), e.text())).toList();
    }

    @Override
    public Map<String, HostHistory> history(int samples) {
        Map<String, HostHistory> out = new LinkedHashMap<>();
        for (HostView v : hosts) {
            History.Series s = history.copy(v.id());
            long[] t = s.times();
            int from = Math.max(0, t.length - samples);
            Map<String, double[]> series = new LinkedHashMap<>();
            for (int i = 0; i < History.SERIES.length; i++) {
                series.put(History.SERIES[i], Arrays.copyOfRange(s.values(i), from, t.length));
            }
            out.put(v.id(), new HostHistory(Arrays.copyOfRange(t, from, t.length), series));
        }
        return out;
    }

    @Override
    public List<RouteChoice> route(String zone, java.net.InetAddress client) {
        TargetSelector selector = new TargetSelector(0.5);
        return Samples.route().stream().map(c -> new RouteChoice(c.id(), c.zone(), c.stress(), selector.score(c), "192.0.2." + (c.id().charAt(0) - 'A' + 1), Double.NaN))
                .toList();
    }

    @Override
    public CycleCounters cycles() {
        return new CycleCounters(cycles, 0, 5);
    }

    @Override
    public boolean setDrained(String id, boolean drain) {
        if (hosts.stream().noneMatch(h -> h.id().equals(id))) {
            return false;
        }
        if (drain) {
            drained.add(id);
        } else {
            drained.remove(id);
        }
        return true;
    }
}
