package dev.spillway.manager;

import dev.spillway.manager.coordination.Leadership;
import dev.spillway.manager.coordination.LeadershipStatus;
import dev.spillway.manager.coordination.ZooKeeperLeadership;
import dev.spillway.manager.poll.HostTable;
import dev.spillway.manager.policy.SendReason;
import dev.spillway.manager.pool.PoolState;
import dev.spillway.manager.route.RouteOrder;
import dev.spillway.manager.web.CycleCounters;
import dev.spillway.manager.web.Decision;
import dev.spillway.manager.web.HostHistory;
import dev.spillway.manager.web.HostSnapshot;
import dev.spillway.manager.web.ManagerConsole;
import dev.spillway.manager.web.PoolChange;
import dev.spillway.manager.web.PoolFigures;
import dev.spillway.manager.web.RouteChoice;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The manager as its web layer sees it: the loop's last views, the decision log, the history, and drain. */
final class WebConsole implements ManagerConsole {
    private final ControlLoop loop;
    private final HostTable table;
    private final DecisionLog decisions;
    private final History history;
    private final RouteOrder routes;
    private final Leadership leadership;

    WebConsole(ControlLoop loop, HostTable table, DecisionLog decisions, History history, RouteOrder routes,
            Leadership leadership) {
        this.leadership = leadership;
        this.loop = loop;
        this.table = table;
        this.decisions = decisions;
        this.history = history;
        this.routes = routes;
    }

    @Override
    public List<? extends HostSnapshot> hosts() {
        return loop.views();
    }

    @Override
    public List<Decision> decisions() {
        return decisions.entries().stream().map(e -> new Decision(e.timeMillis(), e.hostId(), e.text())).toList();
    }

    @Override
    public Map<String, HostHistory> history(int samples) {
        Map<String, HostHistory> out = new LinkedHashMap<>();
        for (HostView v : loop.views()) {
            History.Series s = history.copy(v.id());
            if (s == null) {
                continue;
            }
            long[] times = s.times();
            int from = Math.max(0, times.length - samples);
            Map<String, double[]> series = new LinkedHashMap<>();
            for (int i = 0; i < History.SERIES.length; i++) {
                double[] values = s.values(i);
                series.put(History.SERIES[i], Arrays.copyOfRange(values, from, values.length));
            }
            out.put(v.id(), new HostHistory(Arrays.copyOfRange(times, from, times.length), series));
        }
        return out;
    }

    @Override
    public List<RouteChoice> route(String zone, java.net.InetAddress client) {
        return routes.order(zone, client).stream()
                .map(h -> new RouteChoice(h.id(), h.zone(), h.stress(), h.score(),
                        h.address() == null ? null : h.address().getHostAddress(), h.rttMillis())).toList();
    }

    @Override
    public CycleCounters cycles() {
        Map<SendReason, Long> sends = new EnumMap<>(SendReason.class);
        for (SendReason r : SendReason.values()) {
            sends.put(r, loop.sent(r));
        }
        return new CycleCounters(loop.cycles(), loop.earlyCycles(), loop.lastCycleMillis(), sends);
    }

    @Override
    public LeadershipStatus leadership() {
        return leadership.status();
    }

    @Override
    public PoolFigures pool() {
        PoolState p = loop.poolState();
        return new PoolFigures(p.spares().size(), p.allocated().size(), p.releasing().size(), p.allocations(),
                p.releases(), p.hookFailures());
    }

    @Override
    public List<PoolChange> poolChangesAfter(long seq) {
        return loop.poolEventsAfter(seq).stream()
                .map(e -> new PoolChange(e.seq(), e.timeMillis(), e.event(), e.host(), e.detail())).toList();
    }

    @Override
    public boolean dryRun() {
        return loop.dryRun();
    }

    @Override
    public Map<String, dev.spillway.agent.contract.Directive> wouldSend() {
        return loop.wouldSend();
    }

    @Override
    public boolean setDrained(String id, boolean drained) {
        if (leadership instanceof ZooKeeperLeadership z) {
            return z.setDrained(id, drained); // in ZooKeeper first, so the next leader keeps it
        }
        return table.setDrained(id, drained);
    }
}
