package dev.spillway.bench.manager;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import java.util.concurrent.ThreadLocalRandom;

/** A cheap agent for the benchmark: random-walk figures, a few hosts hot; directives are counted, not relayed. */
final class SimulatedAgent implements AgentMXBean {
    private final String id;
    private final String url;
    private final boolean hot;
    private volatile long directives;

    SimulatedAgent(String id, String url, boolean hot) {
        this.id = id;
        this.url = url;
        this.hot = hot;
    }

    @Override public String getHostId() { return id; }
    @Override public String getZone() { return "z" + (id.hashCode() & 3); }
    @Override public String getWebBaseUrl() { return "http://127.0.0.1:1/" + id; }
    @Override public String getJmxServiceUrl() { return url; }
    @Override public long getSampleIntervalMillis() { return 1000; }
    @Override public long getSamples() { return 0; }
    @Override public int getWatchedFilters() { return 1; }
    @Override public String getManagerStatus() { return "simulated, directives=" + directives; }
    @Override public String getSurgeMarks() { return "off"; }
    @Override public long getSurgeAlerts() { return 0; }

    @Override
    public HostLoad getHostLoad() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        double base = hot ? 260 : 40;
        return HostLoad.builder(id).zone(getZone()).timestampMillis(System.currentTimeMillis())
                .queueDelayMillis(base + r.nextDouble(-30, 30)).queueLength(hot ? 60 : r.nextInt(10))
                .systemCpu(hot ? 0.9 : r.nextDouble(0.1, 0.6)).heapUsedBytes(r.nextLong(100, 600)).heapMaxBytes(1000)
                .healthResponseMillis(hot ? 40 : 12).healthBaselineMillis(10).build();
    }

    @Override
    public void applyDirective(String mode, String[] targets, double fraction, long leaseMillis) {
        directives++;
    }

    @Override
    public void clearDirective() {
        directives++;
    }
}
