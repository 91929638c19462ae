package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ManagerMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.NotificationListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter pushes the first request that finds its pool backed up and every spill budget spent (a JMX
 * notification of its MXBean), and its embedded agent alerts the manager on it without waiting for a sample. Real
 * Jetty, real filter and agent, the agent's real JMX client; the manager is a stand-in (the manager module cannot be
 * on this module's class path) served over a real JMX connector, recording registrations and alerts.
 */
class OverBudgetPushTest {
    private static final int WORKERS = 4;

    @TempDir
    Path tmp;
    private final MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
    private JettyContainer jetty;
    private SecureJmxServer managerServer;
    private final ExecutorService clients = Executors.newFixedThreadPool(3 * WORKERS);
    private final AtomicBoolean loading = new AtomicBoolean();

    @AfterEach
    void stop() throws Exception {
        loading.set(false);
        clients.shutdownNow();
        if (jetty != null) {
            jetty.close();
        }
        if (managerServer != null) {
            managerServer.close();
        }
    }

    /**
     * The agent samples once at start and then not for an hour, and the manager's surge marks are far above anything
     * this pool reaches, so neither a sample nor a surge check can see the spills over budget: only the push can.
     */
    @Test
    void anAgentThatSamplesHourlyStillAlertsTheManagerWhenItsFilterGoesOverBudget() throws Exception {
        StandInManager manager = new StandInManager();
        MBeanServer managerBeans = MBeanServerFactory.newMBeanServer();
        managerBeans.registerMBean(manager, ObjectNames.manager());
        managerServer = SecureJmxServer.start(JmxServerSettings.loopback(0), managerBeans);
        String agentParams = param("agent", "embedded") + param("agent.jmx.port", String.valueOf(Ports.free()))
                + param("agent.host.id", "hot") + param("agent.host.web-base-url", "http://127.0.0.1:1/app")
                + param("agent.sample.interval", "1h")
                + param("agent.manager.url", managerServer.serviceUrl().toString());
        startJetty(agentParams);
        AgentMXBean agent = JMX.newMXBeanProxy(platform, ObjectNames.agent(), AgentMXBean.class);
        Await.until("the agent registered and has the manager's marks", () -> !manager.registrations.isEmpty()
                && !"off".equals(agent.getSurgeMarks()));
        Await.until("the quick check the marks started has run (and found nothing near them)",
                () -> agent.getSurgeChecks() >= 1);
        assertEquals(3_600_000, agent.getSampleIntervalMillis());

        FilterMXBean f = filter();
        f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {0.1}, 600_000);
        overloadUntil(() -> !manager.alerts.isEmpty());

        assertEquals(List.of("hot"), manager.alerts.subList(0, 1));
        assertTrue(f.getSpillOverBudget() >= 1, "requests found the budget spent");
    }

    /** Without an agent: the MXBean's notification itself, as JConsole or a standalone agent would receive it. */
    @Test
    void aRequestThatFindsEveryBudgetSpentIsPushedAsANotification() throws Exception {
        startJetty("");
        List<Notification> heard = new CopyOnWriteArrayList<>();
        NotificationListener listener = (n, handback) -> heard.add(n);
        platform.addNotificationListener(ObjectNames.filter("/app"), listener, null, null);
        FilterMXBean f = filter();
        f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {0.1}, 600_000);
        overloadUntil(() -> !heard.isEmpty());

        Notification n = heard.get(0);
        assertEquals(FilterMXBean.OVER_BUDGET_NOTIFICATION, n.getType());
        assertEquals(ObjectNames.filter("/app"), n.getSource());
        assertTrue((Long) n.getUserData() >= 1 && (Long) n.getUserData() <= f.getSpillOverBudget(),
                "the count at the push: " + n.getUserData());
        assertTrue(heard.size() <= f.getSpillOverBudget(), "at most one push per request over budget");
        platform.removeNotificationListener(ObjectNames.filter("/app"), listener);
    }

    private void startJetty(String extraParams) throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "<init-param><param-name>deny</param-name>",
                param("redirectCheckInterval", "0ms") + extraParams + "<init-param><param-name>deny</param-name>");
        jetty = new JettyContainer();
        jetty.start(webapp, "/app", WORKERS);
        assertNull(jetty.startupFailure());
        assertEquals(200, RawHttp.get(jetty.port(), "/app/catalog/item").status());
    }

    /**
     * Three times as many clients as workers, each asking for a 200 ms page again as soon as it is answered: while it
     * runs, requests always wait for a worker, so each request that reaches the filter finds the pool backed up (and,
     * on a budget of 0.1/s, every budget spent). Runs until {@code done}, within the await's bound.
     */
    private void overloadUntil(java.util.function.BooleanSupplier done) throws Exception {
        loading.set(true);
        int port = jetty.port();
        for (int i = 0; i < 3 * WORKERS; i++) {
            clients.submit(() -> {
                while (loading.get()) {
                    RawHttp.get(port, "/app/slow?ms=200");
                }
                return null;
            });
        }
        Await.until("the overload's outcome", done);
        loading.set(false);
    }

    private FilterMXBean filter() {
        return JMX.newMXBeanProxy(platform, ObjectNames.filter("/app"), FilterMXBean.class);
    }

    private static String param(String name, String value) {
        return "<init-param><param-name>" + name + "</param-name><param-value>" + value + "</param-value></init-param>";
    }

    /** Records what agents tell the manager; its surge marks are out of this test's reach, but on. */
    public static final class StandInManager implements ManagerMXBean {
        final List<String> registrations = new CopyOnWriteArrayList<>();
        final List<String> alerts = new CopyOnWriteArrayList<>();

        @Override
        public long register(String hostId, String agentJmxUrl, String zone, String webBaseUrl) {
            registrations.add(hostId);
            return 3_600_000;
        }

        @Override public void deregister(String hostId) { }
        @Override public String[] getHostIds() { return registrations.toArray(new String[0]); }
        @Override public int getHostCount() { return registrations.size(); }
        @Override public int getOverloadedCount() { return 0; }
        @Override public int getFailedCount() { return 0; }
        @Override public long getPollIntervalMillis() { return 1_000; }
        @Override public long getCycles() { return 0; }
        @Override public long getLastCycleMillis() { return 0; }
        @Override public double getSurgeQueueLength() { return 100_000; }
        @Override public long getSurgeQueueDelayMillis() { return 3_600_000; }
        @Override public void alert(String hostId) { alerts.add(hostId); }
        @Override public long getEarlyCycles() { return alerts.size(); }
        @Override public void drain(String hostId) { }
        @Override public void enable(String hostId) { }
    }
}
