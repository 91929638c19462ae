package dev.spillway.manager;

import dev.spillway.agent.contract.ManagerMXBean;
import dev.spillway.manager.policy.HostState;
import dev.spillway.manager.policy.Thresholds;
import dev.spillway.manager.poll.HostTable;

/** The {@code dev.spillway:type=Manager} MXBean: agents register here; operators can drain and enable. */
public final class ManagerBean implements ManagerMXBean {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager");

    private final HostTable table;
    private final ControlLoop loop;
    private final ManagerConfig config;

    public ManagerBean(HostTable table, ControlLoop loop, ManagerConfig config) {
        this.table = table;
        this.loop = loop;
        this.config = config;
    }

    @Override
    public long register(String hostId, String agentJmxUrl, String zone, String webBaseUrl) {
        boolean isNew = !table.contains(hostId);
        table.register(hostId, agentJmxUrl, zone, webBaseUrl, System.currentTimeMillis());
        if (isNew) {
            LOG.log(System.Logger.Level.INFO, "host " + hostId + " registered at " + agentJmxUrl);
        }
        return config.announceMillis();
    }

    @Override
    public void deregister(String hostId) {
        table.deregister(hostId);
    }

    @Override
    public String[] getHostIds() {
        return table.entries().stream().map(e -> e.id()).toArray(String[]::new);
    }

    @Override
    public int getHostCount() {
        return table.size();
    }

    @Override
    public int getOverloadedCount() {
        return count(HostState.OVERLOADED);
    }

    @Override
    public int getFailedCount() {
        return count(HostState.FAILED);
    }

    private int count(HostState s) {
        return (int) loop.views().stream().filter(v -> v.state() == s).count();
    }

    @Override
    public long getPollIntervalMillis() {
        return config.intervalMillis();
    }

    @Override
    public long getCycles() {
        return loop.cycles();
    }

    @Override
    public long getLastCycleMillis() {
        return loop.lastCycleMillis();
    }

    @Override
    public double getSurgeQueueLength() {
        Thresholds t = config.policy().thresholds();
        return t.surge() > 0 ? t.surge() * t.queueLengthHigh() : 0;
    }

    @Override
    public long getSurgeQueueDelayMillis() {
        Thresholds t = config.policy().thresholds();
        return t.surge() > 0 ? Math.round(t.surge() * t.queueDelayHighMs()) : 0;
    }

    @Override
    public void alert(String hostId) {
        if (!table.contains(hostId)) {
            throw new IllegalArgumentException("unknown host '" + hostId + "'");
        }
        loop.nudge();
    }

    @Override
    public long getEarlyCycles() {
        return loop.earlyCycles();
    }

    @Override
    public void drain(String hostId) {
        if (!table.setDrained(hostId, true)) {
            throw new IllegalArgumentException("unknown host '" + hostId + "'");
        }
    }

    @Override
    public void enable(String hostId) {
        if (!table.setDrained(hostId, false)) {
            throw new IllegalArgumentException("unknown host '" + hostId + "'");
        }
    }
}
