package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.agent.testing.FakeManager;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent given several managers (they take turns leading on ZooKeeper) registers with each over real JMX
 * connectors, keeps announcing to the ones that answer while another is down, and picks up a late one on its own.
 */
class SeveralManagersRegistrationTest {
    private Agent agent;
    private SecureJmxServer first;
    private SecureJmxServer second;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        for (SecureJmxServer s : new SecureJmxServer[] {first, second}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static String url(int port) {
        return "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
    }

    private static SecureJmxServer manager(int port, FakeManager bean) throws Exception {
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        mbs.registerMBean(bean, ObjectNames.manager());
        return SecureJmxServer.start(JmxServerSettings.loopback(port), mbs);
    }

    @Test
    void registersWithEveryManagerOnTheList() throws Exception {
        int p1 = Ports.free();
        int p2 = Ports.free();
        FakeManager m1 = new FakeManager();
        FakeManager m2 = new FakeManager();
        m1.reannounceMillis = 500;
        m2.reannounceMillis = 500;
        first = manager(p1, m1);
        AgentSettings s = AgentSettings.from(ConfigValues.of(Map.of("host.id", "web-1", "jmx.port", "0",
                "manager.url", url(p1) + " , " + url(p2),
                "manager.register-interval", "1s")));
        agent = Agent.start(s, MBeanServerFactory.newMBeanServer(), List.of());

        // the second manager is not up yet: the first one still gets every announcement
        Await.until("the first manager has the host twice", () -> m1.registrations.size() >= 2);
        String status = agent.registration().status();
        assertTrue(status.startsWith("registered with 1 of 2; " + url(p2) + " retrying: "), status);

        second = manager(p2, m2);
        Await.until("the late manager has the host", () -> !m2.registrations.isEmpty());
        assertTrue(m2.registrations.get(0).startsWith("web-1 service:jmx:"), m2.registrations.get(0));
        Await.until("both answer", () -> agent.registration().status().equals("registered"));
    }

    @Test
    void aListEntryThatIsNoJmxUrlIsRefusedByName() {
        ConfigException e = assertThrows(ConfigException.class, () -> AgentSettings.from(ConfigValues.of(Map.of(
                "manager.url", url(9020) + ",manager-2:9020"))));
        assertTrue(e.getMessage().contains("manager.url") && e.getMessage().contains("'manager-2:9020' is not one"),
                e.getMessage());
        assertEquals(List.of(url(1), url(2)), ManagerUrls.parse(url(1) + "," + url(2) + "," + url(1)));
    }
}
