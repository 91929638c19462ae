package dev.spillway.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.core.Agent;
import dev.spillway.agent.core.AgentSettings;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.agent.testing.FakeManager;
import dev.spillway.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent (scripted figures; the agent's surge check is what is tested) against a fake manager on a real RMI connector: the quick check between samples
 * alerts the manager when the queue delay reaches the mark the manager gave, after taking a fresh sample.
 */
class SurgeAlertTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> started = new ArrayList<>();
    private SecureJmxServer managerServer;
    private Agent agent;

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private FakeManager startManager(long delayMarkMillis) throws Exception {
        FakeManager manager = new FakeManager();
        manager.surgeQueueDelayMillis = delayMarkMillis;
        manager.surgeQueueLength = 0;
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        mbs.registerMBean(manager, ObjectNames.manager());
        managerServer = SecureJmxServer.start(JmxServerSettings.loopback(0), mbs);
        started.add(managerServer);
        return manager;
    }

    /** Busy but below the mark at start (150 ms: the quick checks are armed from 100 ms), 900 ms from 1.5 s on. */
    private Agent startAgent(String managerUrl, String sampleInterval, String checkInterval) throws Exception {
        Path script = dir.resolve("load.script");
        Files.writeString(script, "0s queueDelayMillis=150 queueLength=1\n1500ms queueDelayMillis=900\n");
        AgentSettings s = AgentSettings.from(ConfigValues.of(Map.of("host.id", "hot", "jmx.port", "0",
                "sample.interval", sampleInterval, "surge.check-interval", checkInterval,
                "manager.url", managerUrl)));
        Agent a = Agent.start(s, MBeanServerFactory.newMBeanServer(), List.of(),
                new ScriptedExtras(script, "script"));
        started.add(a);
        return a;
    }

    @Test
    void reachingTheManagersMarkAlertsItWithAFreshSample() throws Exception {
        FakeManager manager = startManager(400);
        // One sample at start and then none for an hour (longer than any wait here): only the quick check can see the
        // step and take a sample.
        agent = startAgent(managerServer.serviceUrl().toString(), "1h", "250ms");
        assertTrue(Await.eventually(Await.PATIENCE_MILLIS, () -> !manager.alerts.isEmpty()),
                "no alert; agent status " + agent.latest());
        assertEquals(List.of("hot"), manager.alerts, "one alert, from the agent's own host id");
        assertEquals(900.0, agent.latest().getQueueDelayMillis(), "the sample the manager will read is fresh");
        long checks = agent.surgeChecks();
        assertTrue(Await.eventually(Await.PATIENCE_MILLIS, () -> agent.surgeChecks() >= checks + 4),
                "quick checks stopped");
        assertEquals(1, manager.alerts.size(), "four more checks saw the delay stay at 900: still one alert");
    }

    @Test
    void aFullSampleThatReachesTheMarkAlertsByItself() throws Exception {
        FakeManager manager = startManager(400);
        agent = startAgent(managerServer.serviceUrl().toString(), "300ms", "0ms"); // no quick checks at all
        assertTrue(Await.eventually(Await.PATIENCE_MILLIS, () -> !manager.alerts.isEmpty()),
                "no alert; agent status " + agent.latest());
        assertEquals(List.of("hot"), manager.alerts);
    }

    @Test
    void aManagerThatWantsNoAlertsGetsNone() throws Exception {
        FakeManager quiet = startManager(0);
        Agent unalerted = startAgent(managerServer.serviceUrl().toString(), "1h", "250ms");
        assertTrue(Await.eventually(Await.PATIENCE_MILLIS, () -> !quiet.registrations.isEmpty()), "registered");
        // A control started after it, with the same script and a manager that does want alerts: once the control
        // has alerted, the script has surged in the first agent too.
        FakeManager control = startManager(400);
        startAgent(managerServer.serviceUrl().toString(), "1h", "250ms");
        assertTrue(Await.eventually(Await.PATIENCE_MILLIS, () -> !control.alerts.isEmpty()),
                "the control agent never alerted");
        assertTrue(quiet.alerts.isEmpty(), "alerts: " + quiet.alerts);
        assertEquals(0, unalerted.surgeChecks(), "no quick checks without marks");
        assertEquals(150.0, unalerted.latest().getQueueDelayMillis(), "no extra sample either");
    }
}
