package dev.spillway.manager.web;

import dev.spillway.manager.coordination.LeadershipStatus;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard's event stream carries: the hosts, the flows between them, the recent decisions and history.
 * A {@code snapshot} event carries the whole plotted history; an {@code update} event only each host's newest
 * sample, which the page appends (skipping a time it already has).
 */
final class DashboardFeed {
    static final int PLOTTED_SAMPLES = 120;
    private static final int DECISIONS_SHOWN = 50;

    /** {@code leader}: who leads (several managers on ZooKeeper), pushed with the rest so the page never polls. */
    record State(long cycle, List<HostDocument> hosts, List<Flows.Flow> flows, List<Decision> decisions,
                 Map<String, Map<String, Object>> history, LeadershipStatus leader) {
    }

    private final ManagerConsole console;

    DashboardFeed(ManagerConsole console) {
        this.console = console;
    }

    byte[] snapshot() {
        return event("snapshot", state(PLOTTED_SAMPLES));
    }

    byte[] update() {
        return event("update", state(1));
    }

    private State state(int samples) {
        long cycle = console.cycles().cycles();
        List<? extends HostSnapshot> hosts = console.hosts();
        List<Decision> decisions = console.decisions();
        return new State(cycle, hosts.stream().map(HostDocument::of).toList(), Flows.of(hosts),
                decisions.subList(Math.max(0, decisions.size() - DECISIONS_SHOWN), decisions.size()),
                HistoryDocument.of(console.history(samples)), console.leadership());
    }

    /** One server-sent event; the JSON has no line breaks (Jackson writes none), so one data line suffices. */
    private static byte[] event(String name, State state) {
        byte[] json = ApiJson.write(state);
        byte[] head = ("event: " + name + "\ndata: ").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(json, 0, out, head.length, json.length);
        out[out.length - 2] = '\n';
        out[out.length - 1] = '\n';
        return out;
    }
}
