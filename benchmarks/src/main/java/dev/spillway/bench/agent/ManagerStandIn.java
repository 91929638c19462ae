package dev.spillway.bench.agent;

import dev.spillway.agent.contract.ManagerMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.demo.FreePorts;
import java.io.IOException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;

/**
 * Just enough manager for the agent to register with and get the default surge marks from, on its own loopback
 * connector and MBean server (so its MBean does not show among the agent's).
 */
final class ManagerStandIn implements ManagerMXBean, AutoCloseable {
    private SecureJmxServer server;

    static ManagerStandIn start() throws Exception {
        ManagerStandIn m = new ManagerStandIn();
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        mbs.registerMBean(m, ObjectNames.manager());
        m.server = SecureJmxServer.start(JmxServerSettings.loopback(FreePorts.pick()), mbs);
        return m;
    }


    String url() {
        return server.serviceUrl().toString();
    }

    @Override public long register(String hostId, String agentJmxUrl, String zone, String webBaseUrl) { return 30_000; }
    @Override public void deregister(String hostId) { }
    @Override public String[] getHostIds() { return new String[0]; }
    @Override public int getHostCount() { return 1; }
    @Override public int getOverloadedCount() { return 0; }
    @Override public int getFailedCount() { return 0; }
    @Override public long getPollIntervalMillis() { return 1_000; }
    @Override public long getCycles() { return 0; }
    @Override public long getLastCycleMillis() { return 0; }
    @Override public double getSurgeQueueLength() { return 100; }
    @Override public long getSurgeQueueDelayMillis() { return 400; }
    @Override public void alert(String hostId) { }
    @Override public long getEarlyCycles() { return 0; }
    @Override public void drain(String hostId) { }
    @Override public void enable(String hostId) { }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
