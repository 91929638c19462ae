package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.ManagerMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.core.Agent;
import dev.spillway.agent.core.AgentSettings;
import dev.spillway.agent.sampling.LocalJvm;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.scripted.ScriptedExtras;
import dev.spillway.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Surge alerts end to end: real agents (scripted figures) register with a real manager over RMI; when one host's
 * queue delay jumps, its agent alerts and the manager decides at once instead of at its next poll, which these
 * tests put far away (30 s) so that only an alert can explain a decision in between.
 */
class SurgeAlertTest {
    @TempDir
    Path dir;
    private Manager manager;
    private final List<Agent> agents = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        agents.forEach(Agent::close);
        if (manager != null) {
            manager.close();
        }
    }

    private Manager startManager(String interval) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", "0");
        m.put("poll.interval", interval);
        return Manager.start(ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer());
    }

    private Agent startAgent(String id, String script) throws Exception {
        Path file = dir.resolve(id + ".script");
        Files.writeString(file, script);
        AgentSettings s = AgentSettings.from(ConfigValues.of(Map.of("host.id", id,
                "jmx.port", "0", "sample.interval", "200ms",
                "manager.url", manager.jmxUrl(), "host.web-base-url", "http://127.0.0.1:1/" + id)));
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        // its scripted filter lives in mbs
        Agent a = Agent.start(s, mbs, List.of(new LocalJvm(mbs)), new ScriptedExtras(file, "script"));
        agents.add(a);
        return a;
    }

    @Test
    void aSurgingHostIsToldToOffloadLongBeforeTheNextPoll() throws Exception {
        manager = startManager("30s");
        Await.until("the first regular cycle", () -> manager.loop().cycles() == 1);
        // 20 workers x 100 ms each (200 requests/s); hot steps to 300 requests/s, idle has 50
        String capacity = " maxWorkers=20 serviceTimeMillis=100";
        Agent idle = startAgent("idle", "0s queueDelayMillis=5 queueLength=0 systemCpu=0.1 requestRate=50"
                + capacity + "\n");
        Agent hot = startAgent("hot", "0s queueDelayMillis=5 queueLength=1 systemCpu=0.1 requestRate=50" + capacity
                + "\n2s queueDelayMillis=900 queueLength=30 requestRate=300\n");
        Await.until("both registered", () -> manager.table().size() == 2);
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(hot.serviceUrl()))) {
            AgentMXBean hotBean = JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.agent(),
                    AgentMXBean.class);
            Await.until("hot's agent has the manager's marks (2 x 50, 2 x 200 ms)",
                    () -> "queue length 100, queue delay 400 ms".equals(hotBean.getSurgeMarks()));
        }

        Await.until("hot holds a permit", () -> "REDIRECT".equals(hot.latest().getDirectiveMode()));
        // The cycle pushes its permits before it counts itself (an early one is counted as early when it starts):
        // read the counts once the cycle that granted the permit has ended.
        Await.until("that cycle counted", () -> manager.loop().cycles() >= 2);
        long regular = manager.loop().cycles() - manager.loop().earlyCycles();
        assertEquals(1, regular, "decided by an early cycle, not by the regular one 30 s after the first");
        assertTrue(manager.loop().earlyCycles() >= 1);
        assertTrue(manager.decisions().entries().stream().anyMatch(e -> e.text().startsWith("hot may spill to idle")
                && e.text().contains("overloaded")), "decision: " + manager.decisions().entries());
        assertEquals("LOCAL", idle.latest().getDirectiveMode(), "hot has no spare capacity: idle has no target");
    }

    @Test
    void alertsBringOneCycleForwardPerIntervalAndOnlyForKnownHosts() throws Exception {
        manager = startManager("3s");
        Await.until("the first regular cycle", () -> manager.loop().cycles() == 1);
        startAgent("known", "0s queueDelayMillis=5\n");
        Await.until("registered", () -> manager.table().size() == 1);
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        ManagerMXBean bean = new dev.spillway.manager.ManagerBean(manager.table(), manager.loop(), manager.config());
        mbs.registerMBean(bean, ObjectNames.manager());

        assertThrows(IllegalArgumentException.class, () -> bean.alert("stranger"));
        long before = manager.loop().cycles();
        for (int i = 0; i < 20; i++) {
            bean.alert("known");
        }
        Await.until("one early cycle", () -> manager.loop().earlyCycles() == 1);
        // Up to the next regular cycle nothing else may run: had the other alerts each brought one, it would be late.
        Await.until("the next regular cycle", () -> manager.loop().cycles() >= before + 2);
        assertEquals(before + 2, manager.loop().cycles(), "twenty alerts, one early cycle, then the regular one");
        assertEquals(1, manager.loop().earlyCycles(), "twenty alerts, one early cycle");
        bean.alert("known");
        Await.until("after a regular cycle, an alert may bring the next one forward again",
                () -> manager.loop().earlyCycles() == 2);
    }

    @Test
    void aSecondHostsAlertBringsOneMoreEarlyCycleAndNoMore() throws Exception {
        manager = startManager("3s");
        Await.until("the first regular cycle", () -> manager.loop().cycles() == 1);
        for (String id : List.of("first", "second", "third")) {
            startAgent(id, "0s queueDelayMillis=5\n");
        }
        Await.until("registered", () -> manager.table().size() == 3);
        ManagerMXBean bean = new dev.spillway.manager.ManagerBean(manager.table(), manager.loop(), manager.config());
        Await.until("a regular cycle that polled all three", () -> manager.loop().cycles() >= 2);
        long before = manager.loop().cycles();

        bean.alert("first");
        Await.until("the first host's early cycle", () -> manager.loop().earlyCycles() == 1);
        bean.alert("first");
        bean.alert("second"); // a host the first early cycle did not hear: its budgets must not wait for the regular
        Await.until("the second host's early cycle", () -> manager.loop().earlyCycles() == 2);
        bean.alert("third");
        bean.alert("second");
        Await.until("the next regular cycle", () -> manager.loop().cycles() >= before + 3);
        assertEquals(before + 3, manager.loop().cycles(), "two early cycles, then the regular one");
        assertEquals(2, manager.loop().earlyCycles(), "at most two early cycles between two regular ones");
    }
}
