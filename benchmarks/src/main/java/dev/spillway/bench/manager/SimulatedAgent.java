package dev.spillway.bench.manager;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A cheap agent for the benchmark: random figures, a few hosts hot; directives and permits are counted, not
 * relayed. Every host reports capacity figures, so the manager grants a permit to every one.
 *
 * <p>Two request-rate models ({@code -Dload=...}): {@code uniform} (the default, as in the first runs) draws every
 * non-hot host's rate afresh from 40-120/s at each poll, so its spare capacity, and the budgets that point at it,
 * jump by up to a factor of three every second; {@code poisson} gives each host a rate of its own (drawn once from
 * 40-120/s) plus the noise of counting a Poisson stream for one second (standard deviation √rate), as real steady
 * hosts show.
 */
final class SimulatedAgent implements AgentMXBean {
    private static final boolean POISSON = "poisson".equals(System.getProperty("load", "uniform"));
    private final String id;
    private final String url;
    private final boolean hot;
    private final double ownRate;
    private volatile long directives;

    SimulatedAgent(String id, String url, boolean hot) {
        this.id = id;
        this.url = url;
        this.hot = hot;
        this.ownRate = hot ? 260 : ThreadLocalRandom.current().nextDouble(40, 120);
    }

    private double requestRate(ThreadLocalRandom r) {
        if (!POISSON) {
            return hot ? 260 : r.nextDouble(40, 120);
        }
        return Math.max(0, ownRate + r.nextGaussian() * Math.sqrt(ownRate));
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
                .healthResponseMillis(hot ? 40 : 12).healthBaselineMillis(10)
                // capacity 20 workers x 100 ms = 200/s: hot hosts beyond it, the others with spare to grant
                .maxWorkers(20).serviceTimeMillis(100 + r.nextDouble(-5, 5))
                .requestRate(requestRate(r)).build();
    }

    @Override
    public void applyDirective(String mode, String[] targets, double fraction, long leaseMillis) {
        directives++;
    }

    @Override
    public void applyPermit(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis) {
        directives++;
    }

    @Override
    public void clearDirective() {
        directives++;
    }
}
