package dev.spillway.manager.poll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.LoadReport;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.core.Agent;
import dev.spillway.agent.core.AgentSettings;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.agent.sampling.LocalJvm;
import dev.spillway.scripted.ScriptedExtras;
import dev.spillway.settings.ConfigValues;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.StandardMBean;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager's poll over real JMX connectors: it reads the compact {@code LoadReport} and gets the same figures as
 * through {@code HostLoad}, from the real agent and from an agent reporting every field; an agent without the
 * attribute (older than it), or with a layout the manager does not know, is read through {@code HostLoad}; a
 * malformed report fails the poll with a message that names it.
 */
public class LoadReportPollTest {
    @TempDir
    Path dir;

    @Test
    void aRealAgentGivesTheSameLoadThroughBothAttributes() throws Exception {
        Path script = dir.resolve("load.script");
        Files.writeString(script, "0s queueLength=3 queueDelayMillis=12.5 systemCpu=0.42 systemMemory=unknown"
                + " heapUsedBytes=1000 heapMaxBytes=4000 inFlight=5 requestRate=88.5 errorRate=unknown"
                + " activeSessions=4 sessionCapacity=100 healthUp=false healthStatus=503 healthResponseMillis=40"
                + " appHealthUp=true appHealthStatus=200 appHealthResponseMillis=9 waitingRequests=2"
                + " busyWorkers=7 maxWorkers=20 serviceTimeMillis=33.25 movedRate=1.5 overBudgetRate=0.5\n");
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        // one sample an hour: the snapshot stays the same between the two reads
        AgentSettings settings = AgentSettings.from(ConfigValues.of(Map.of("host.id", "web-1", "host.zone", "z1",
                "jmx.port", "0", "sample.interval", "1h", "rtt.ports", "off")));
        try (Agent agent = Agent.start(settings, mbs, List.of(new LocalJvm(mbs)),
                new ScriptedExtras(script, "--script"));
             AgentConnector.Connection c = AgentConnector.plain().connect(agent.serviceUrl())) {
            HostLoad[] read = new HostLoad[1];
            Await.until("the agent's first sample, read through LoadReport", () -> {
                read[0] = uncheckedRead(c).get();
                return read[0] != null && read[0].getTimestampMillis() > 0;
            });
            HostLoad compact = read[0];
            assertTrue(c.readsCompactReport(), "the agent has the attribute, and it was read");
            HostLoad composite = HostLoad.from((CompositeData) c.connector.getMBeanServerConnection()
                    .getAttribute(ObjectNames.agent(), "HostLoad"));

            assertSameFigures(composite, compact);
            assertEquals(33.25, compact.getServiceTimeMillis(), "the script's figures, not defaults");
            assertEquals(20, compact.getMaxWorkers());
            assertFalse(compact.isHealthUp());
            assertTrue(Double.isNaN(compact.getErrorRate()), "unknown stays unknown");
            assertEquals(agent.latest().getTimestampMillis(), compact.getTimestampMillis());
        }
    }

    @Test
    void everyFigureOfTheReportCrossesTheConnectorAndThePoller() throws Exception {
        HostLoad full = everyFigure("web-2");
        try (StandInAgent agent = StandInAgent.serve(new StandInAgent.Reporting(full), AgentMXBean.class);
             AgentPoller poller = new AgentPoller(AgentConnector.plain(), 2)) {
            PollResult r = poller.pollAll(List.of(agent.entry("web-2")), 20_000).get(0);
            assertNull(r.error(), "polled: " + r.error());
            assertSameFigures(full, r.load());

            try (AgentConnector.Connection c = AgentConnector.plain().connect(agent.url)) {
                HostLoad composite = HostLoad.from((CompositeData) c.connector.getMBeanServerConnection()
                        .getAttribute(ObjectNames.agent(), "HostLoad"));
                assertSameFigures(composite, c.hostLoad());
                assertTrue(c.readsCompactReport());
            }
        }
    }

    @Test
    void anAgentWithoutTheAttributeIsReadThroughHostLoad() throws Exception {
        HostLoad full = everyFigure("old-1");
        try (StandInAgent agent = StandInAgent.serve(new OldAgent(full), OldAgentMXBean.class);
             AgentPoller poller = new AgentPoller(AgentConnector.plain(), 2)) {
            for (int poll = 0; poll < 2; poll++) {   // the second poll reuses the connection that fell back
                PollResult r = poller.pollAll(List.of(agent.entry("old-1")), 20_000).get(0);
                assertNull(r.error(), "poll " + poll + ": " + r.error());
                assertSameFigures(full, r.load());
            }
            try (AgentConnector.Connection c = AgentConnector.plain().connect(agent.url)) {
                assertTrue(c.readsCompactReport(), "a new connection asks for the report first");
                assertSameFigures(full, c.hostLoad());
                assertFalse(c.readsCompactReport(), "and then reads HostLoad on this connection");
            }
        }
    }

    @Test
    void aReportInALayoutTheManagerDoesNotKnowFallsBackToHostLoad() throws Exception {
        HostLoad full = everyFigure("new-1");
        byte[] later = LoadReport.encode(HostLoad.builder("someone-else").build());
        later[0] = 9; // a format from the future
        try (StandInAgent agent = StandInAgent.serve(new StandInAgent.Reporting(full, () -> later), AgentMXBean.class);
             AgentConnector.Connection c = AgentConnector.plain().connect(agent.url)) {
            assertSameFigures(full, c.hostLoad());
            assertFalse(c.readsCompactReport());
        }
    }

    @Test
    void aMalformedReportFailsThePollNamingIt() throws Exception {
        HostLoad full = everyFigure("bad-1");
        byte[] cut = java.util.Arrays.copyOf(LoadReport.encode(full), 20);
        try (StandInAgent agent = StandInAgent.serve(new StandInAgent.Reporting(full, () -> cut), AgentMXBean.class);
             AgentPoller poller = new AgentPoller(AgentConnector.plain(), 2)) {
            PollResult r = poller.pollAll(List.of(agent.entry("bad-1")), 20_000).get(0);
            assertNull(r.load());
            assertNotNull(r.error());
            assertTrue(r.error().contains("LoadReport is cut short"), r.error());
        }
    }

    private static Supplier<HostLoad> uncheckedRead(AgentConnector.Connection c) {
        return () -> {
            try {
                return c.hostLoad();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Every field set, with unknowns, empty lists and client networks among them. */
    private static HostLoad everyFigure(String id) {
        return HostLoad.builder(id).zone("eu-1").webBaseUrl("http://10.0.0.2:8080/shop").timestampMillis(1_733_000_000_123L)
                .systemCpu(0.61).processCpu(Double.NaN).systemMemory(0.33).heapUsedBytes(123_456_789L)
                .heapMaxBytes(-1).queueLength(4.5).queueLengthMax(17).queueDelayMillis(210.25)
                .queueDelayMaxMillis(480).inFlight(22).requestRate(199.5).errorRate(0.25).activeSessions(31)
                .sessionCapacity(-1).healthUp(true).healthStatus(200).healthResponseMillis(14.5)
                .healthBaselineMillis(9.75).appHealthUp(false).appHealthStatus(503).appHealthResponseMillis(Double.NaN)
                .directiveMode("REDIRECT").filters(2).waitingRequests(3).busyWorkers(20).maxWorkers(20)
                .serviceTimeMillis(101.5).movedRate(12.5).overBudgetRate(0).movedToPeers(new String[] {"b", "c"})
                .movedToRates(new double[] {7.5, 5}).declineReasons(new String[0]).declineRates(new double[0])
                .resourceScope("cpu=cgroup-v2 memory=machine")
                .clientNetworks(new String[] {"198.51.100.0/24", "2001:db8:7::/48"})
                .clientRttMillis(new double[] {0.125, 31.5}).build();
    }

    /** The interface an agent older than {@code LoadReport} served (no such attribute). */
    public interface OldAgentMXBean {
        String getHostId();

        HostLoad getHostLoad();

        void applyPermit(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis);

        void clearDirective();
    }

    public static final class OldAgent implements OldAgentMXBean {
        private final HostLoad load;

        OldAgent(HostLoad load) {
            this.load = load;
        }

        @Override public String getHostId() { return load.getHostId(); }
        @Override public HostLoad getHostLoad() { return load; }
        @Override public void applyPermit(String mode, String[] targets, double[] budgets, long leaseMillis) { }
        @Override public void clearDirective() { }
    }

    /** Every public getter of HostLoad gives the same value (NaN equal to NaN, arrays by content). */
    private static void assertSameFigures(HostLoad expected, HostLoad actual) throws Exception {
        assertNotNull(actual, "a load");
        int compared = 0;
        for (Method g : HostLoad.class.getDeclaredMethods()) {
            boolean getter = g.getName().startsWith("get") || g.getName().startsWith("is");
            if (!getter || g.getParameterCount() != 0 || !Modifier.isPublic(g.getModifiers())
                    || Modifier.isStatic(g.getModifiers())) {
                continue;
            }
            Object e = g.invoke(expected);
            Object a = g.invoke(actual);
            if (e instanceof double[] d) {
                assertArrayEquals(d, (double[]) a, g.getName());
            } else if (e instanceof Object[] o) {
                assertArrayEquals(o, (Object[]) a, g.getName());
            } else {
                assertEquals(e, a, g.getName()); // boxed: Double.equals holds NaN equal to NaN
            }
            compared++;
        }
        long fields = java.util.Arrays.stream(HostLoad.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers())).count();
        assertEquals(fields, compared, "one getter per field, every one compared");
    }
}
