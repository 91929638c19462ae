package dev.spillway.manager.poll;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.LoadReport;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.StandardMBean;

/** An MXBean served under the agent's name on its own real RMI connector, for the poller's tests. */
final class StandInAgent implements AutoCloseable {
    final String url;
    private final SecureJmxServer server;

    private StandInAgent(String url, SecureJmxServer server) {
        this.url = url;
        this.server = server;
    }

    static <T> StandInAgent serve(T bean, Class<T> mxbeanInterface) throws Exception {
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        mbs.registerMBean(new StandardMBean(bean, mxbeanInterface, true), ObjectNames.agent());
        SecureJmxServer server = SecureJmxServer.start(JmxServerSettings.loopback(0), mbs);
        return new StandInAgent(server.serviceUrl().toString(), server);
    }

    HostEntry entry(String id) {
        return new HostEntry(id, url, "", "", true, 0);
    }

    @Override
    public void close() {
        server.close();
    }

    /** Today's interface, answering with a fixed load, or with a report of the test's making. */
    static final class Reporting implements AgentMXBean {
        private final HostLoad load;
        private final Supplier<byte[]> report;

        Reporting(HostLoad load) {
            this(load, () -> LoadReport.encode(load));
        }

        Reporting(HostLoad load, Supplier<byte[]> report) {
            this.load = load;
            this.report = report;
        }

        @Override public byte[] getLoadReport() { return report.get(); }
        @Override public String getHostId() { return load.getHostId(); }
        @Override public String getZone() { return load.getZone(); }
        @Override public String getWebBaseUrl() { return load.getWebBaseUrl(); }
        @Override public String getJmxServiceUrl() { return ""; }
        @Override public HostLoad getHostLoad() { return load; }
        @Override public long getSampleIntervalMillis() { return 1000; }
        @Override public long getSamples() { return 1; }
        @Override public int getWatchedFilters() { return load.getFilters(); }
        @Override public String getSurgeMarks() { return "off"; }
        @Override public long getSurgeAlerts() { return 0; }
        @Override public String getManagerStatus() { return "disabled"; }
        @Override public void applyDirective(String mode, String[] targets, double fraction, long leaseMillis) { }
        @Override public void clearDirective() { }
    }
}
