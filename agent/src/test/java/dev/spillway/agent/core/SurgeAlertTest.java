package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.config.ConfigValues;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.agent.testing.FakeManager;
import dev.spillway.agent.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent (scripted figures) against a fake manager on a real RMI connector: the quick check between samples
 * alerts the manager when the queue delay reaches the mark the manager gave, after taking a fresh sample.
 */
class SurgeAlertTest {
    @TempDir
    Path dir;
    private SecureJmxServer managerServer;
    private Agent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (managerServer != null) {
            managerServer.close();
        }
    }

    private FakeManager startManager(long delayMarkMillis) throws Exception {
        FakeManager manager = new FakeManager();
        manager.surgeQueueDelayMillis = delayMarkMillis;
        manager.surgeQueueLength = 0;
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        mbs.registerMBean(manager, ObjectNames.manager());
        managerServer = SecureJmxServer.start(JmxServerSettings.loopback(Ports.free()), mbs);
        return manager;
    }

    /** Busy but below the mark at start (150 ms: the quick checks are armed from 100 ms), 900 ms from 1.5 s on. */
    private Agent startAgent(String managerUrl, String sampleInterval, String checkInterval) throws Exception {
        Path script = dir.resolve("load.script");
        Files.writeString(script, "0s queueDelayMillis=150 queueLength=1\n1500ms queueDelayMillis=900\n");
        AgentSettings s = AgentSettings.from(ConfigValues.of(Map.of("host.id", "hot", "jmx.port",
                String.valueOf(Ports.free()), "sample.interval", sampleInterval, "surge.check-interval", checkInterval,
                "manager.url", managerUrl, "script.file", script.toString())));
        return Agent.start(s, MBeanServerFactory.newMBeanServer(), List.of());
    }

    @Test
    void reachingTheManagersMarkAlertsItWithAFreshSample() throws Exception {
        FakeManager manager = startManager(400);
        // One sample at start and then none for a minute: only the quick check can see the step and take a sample.
        agent = startAgent(managerServer.serviceUrl().toString(), "60s", "250ms");
        assertTrue(Ports.eventually(10_000, () -> !manager.alerts.isEmpty()), "no alert; agent status "
                + agent.latest());
        assertEquals(List.of("hot"), manager.alerts, "one alert, from the agent's own host id");
        assertEquals(900.0, agent.latest().getQueueDelayMillis(), "the sample the manager will read is fresh");
        Thread.sleep(1_500);
        assertEquals(1, manager.alerts.size(), "the delay stays at 900: still one alert");
    }

    @Test
    void aFullSampleThatReachesTheMarkAlertsByItself() throws Exception {
        FakeManager manager = startManager(400);
        agent = startAgent(managerServer.serviceUrl().toString(), "300ms", "0ms"); // no quick checks at all
        assertTrue(Ports.eventually(10_000, () -> !manager.alerts.isEmpty()), "no alert; agent status "
                + agent.latest());
        assertEquals(List.of("hot"), manager.alerts);
    }

    @Test
    void aManagerThatWantsNoAlertsGetsNone() throws Exception {
        FakeManager manager = startManager(0);
        agent = startAgent(managerServer.serviceUrl().toString(), "60s", "250ms");
        assertTrue(Ports.eventually(5_000, () -> !manager.registrations.isEmpty()), "registered");
        Thread.sleep(2_500); // the script has surged by now
        assertTrue(manager.alerts.isEmpty(), "alerts: " + manager.alerts);
        assertEquals(150.0, agent.latest().getQueueDelayMillis(), "no extra sample either");
    }
}
