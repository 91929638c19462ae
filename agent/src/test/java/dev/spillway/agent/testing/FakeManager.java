package dev.spillway.agent.testing;

import dev.spillway.agent.contract.ManagerMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records registrations; asks agents to re-announce every {@link #reannounceMillis}. */
public final class FakeManager implements ManagerMXBean {
    public final List<String> registrations = new CopyOnWriteArrayList<>();
    public volatile long reannounceMillis = 1_000;
    public volatile double surgeQueueLength;
    public volatile long surgeQueueDelayMillis;
    public final List<String> alerts = new CopyOnWriteArrayList<>();

    @Override
    public long register(String hostId, String agentJmxUrl, String zone, String webBaseUrl) {
        registrations.add(hostId + " " + agentJmxUrl + " " + zone + " " + webBaseUrl);
        return reannounceMillis;
    }

    @Override public void deregister(String hostId) { }
    @Override public String[] getHostIds() { return new String[0]; }
    @Override public int getHostCount() { return registrations.size(); }
    @Override public int getOverloadedCount() { return 0; }
    @Override public int getFailedCount() { return 0; }
    @Override public long getPollIntervalMillis() { return 1000; }
    @Override public long getCycles() { return 0; }
    @Override public long getLastCycleMillis() { return 0; }
    @Override public double getSurgeQueueLength() { return surgeQueueLength; }
    @Override public long getSurgeQueueDelayMillis() { return surgeQueueDelayMillis; }
    @Override public void alert(String hostId) { alerts.add(hostId); }
    @Override public long getEarlyCycles() { return alerts.size(); }
    @Override public void drain(String hostId) { }
    @Override public void enable(String hostId) { }
}
