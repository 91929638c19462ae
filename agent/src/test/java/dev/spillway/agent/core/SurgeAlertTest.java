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

    private Agent startAgent(String managerUrl) throws Exception {
        Path script = dir.resolve("load.script");
        Files.writeString(script, "0s queueDelayMillis=10 queueLength=1\n1500ms queueDelayMillis=900\n");
        // One sample at start and then none for a minute: only the alert path can take a second one.
        AgentSettings s = AgentSettings.from(ConfigValues.of(Map.of("host.id", "hot", "jmx.port",
                String.valueOf(Ports.free()), "sample.interval", "60s", "manager.url", managerUrl,
                "script.file", script.toString())));
        return Agent.start(s, MBeanServerFactory.newMBeanServer(), List.of());
    }

    @Test
    void reachingTheManagersMarkAlertsItWithAFreshSample() throws Exception {
        FakeManager manager = startManager(400);
        agent = startAgent(managerServer.serviceUrl().toString());
        assertTrue(Ports.eventually(10_000, () -> !manager.alerts.isEmpty()), "no alert; agent status "
                + agent.latest());
        assertEquals(List.of("hot"), manager.alerts, "one alert, from the agent's own host id");
        assertEquals(900.0, agent.latest().getQueueDelayMillis(), "the sample the manager will read is fresh");
        Thread.sleep(1_500);
        assertEquals(1, manager.alerts.size(), "the delay stays at 900: still one alert");
    }

    @Test
    void aManagerThatWantsNoAlertsGetsNone() throws Exception {
        FakeManager manager = startManager(0);
        agent = startAgent(managerServer.serviceUrl().toString());
        assertTrue(Ports.eventually(5_000, () -> !manager.registrations.isEmpty()), "registered");
        Thread.sleep(2_500); // the script has surged by now
        assertTrue(manager.alerts.isEmpty(), "alerts: " + manager.alerts);
        assertEquals(10.0, agent.latest().getQueueDelayMillis(), "no extra sample either");
    }
}
