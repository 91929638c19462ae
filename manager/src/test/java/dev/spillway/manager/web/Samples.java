package dev.spillway.manager.web;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.manager.DecisionLog;
import dev.spillway.manager.History;
import dev.spillway.manager.HostView;
import dev.spillway.manager.poll.HostEntry;
import dev.spillway.manager.policy.Candidate;
import dev.spillway.manager.policy.Capacity;
import dev.spillway.manager.policy.HostState;
import java.util.List;

/**
 * Fixed inputs for the API documents: one host fully known and spilling under a permit, one never read, one
 * drained with hostile text in its reason and error. The documents they gave before Jackson are kept in
 * {@code src/test/resources/dev/spillway/manager/web/*.json}.
 */
final class Samples {
    private Samples() {
    }

    static final long T0 = 1_765_000_000_000L;

    static List<HostView> hosts() {
        HostLoad a = HostLoad.builder("A").zone("eu").webBaseUrl("http://a.example:8080").queueLength(12.5)
                .queueDelayMillis(300).systemCpu(0.5).heapUsedBytes(250).heapMaxBytes(1000).requestRate(250)
                .movedRate(42.25).waitingRequests(4).busyWorkers(8).maxWorkers(8).serviceTimeMillis(40)
                .activeSessions(3).sessionCapacity(100).directiveMode("REDIRECT").resourceScope("cgroup-v2")
                .movedToPeers(new String[] {"C", "B"}).movedToRates(new double[] {30, 12.25}).build();
        HostLoad c = HostLoad.builder("C").queueDelayMillis(0.0001).systemCpu(0.2).requestRate(10)
                .healthUp(false).build();
        return List.of(
                new HostView(new HostEntry("A", "service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi", "", "", true, 0),
                        HostState.OVERLOADED, a, 1.75,
                        Directive.permit(OffloadMode.REDIRECT, List.of("C", "B"), List.of(60.0, 12.5), 5000),
                        "overloaded: queue delay 300 ms", null, T0, false,
                        new Capacity(200, 250, 0, 40, 8), 7.5),
                new HostView(new HostEntry("B", "service:jmx:rmi:///jndi/rmi://127.0.0.1:2/jmxrmi", "us", "", false,
                        T0 - 5000), HostState.UNKNOWN, null, Double.NaN, Directive.LOCAL, "never read",
                        "connection refused", 0, false, Capacity.UNKNOWN),
                new HostView(new HostEntry("C", "service:jmx:rmi:///jndi/rmi://127.0.0.1:3/jmxrmi", "eu",
                        "http://c.example", true, 0), HostState.DRAINING, c, 0.1,
                        new Directive(OffloadMode.PROXY, List.of("A"), 0.5, 5000),
                        "drained </script><b>\"x\"\u2028", "line\nbreak\t\u0001", T0 - 1000, true,
                        new Capacity(Double.NaN, 10, 0, Double.NaN, -1)));
    }

    /** Four cycles into a history that keeps three; B is missed in the third (a gap, not old figures). */
    static History history() {
        History h = new History(3);
        for (int i = 0; i < 4; i++) {
            long t = T0 + i * 1000L;
            double extra = i / 3.0;
            boolean missed = i == 2;
            h.record(t, hosts().stream().map(v -> new HostView(v.entry(), v.state(), v.load(), v.stress() + extra,
                    v.directive(), v.reason(), v.lastError(), missed ? 0 : t, v.drained(), v.capacity())).toList());
        }
        return h;
    }

    static DecisionLog decisions() {
        DecisionLog log = new DecisionLog(10);
        log.add(T0, "A", "A may spill to C (60 req/s), B (12 req/s): overloaded");
        log.add(T0 + 1000, "C", "C drained <by> \"operator\"");
        return log;
    }

    static List<Candidate> route() {
        return List.of(new Candidate("C", "eu", HostState.OK, true, true, -1, -1, 0.1, 0.5),
                new Candidate("B", "us", HostState.OK, true, true, 3, 100, 0.25, 0));
    }
}
