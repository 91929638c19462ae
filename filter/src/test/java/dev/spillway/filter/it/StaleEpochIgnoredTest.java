package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.testkit.RawHttp;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import java.nio.file.Path;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing between managers that take turns leading (issue 16), end to end inside one real Jetty: a former leader's
 * directive, sent over the embedded agent's real JMX connector with an epoch older than one already heard, changes
 * nothing the filter does to real requests, and is counted where an operator looks (agent and filter MXBeans).
 */
class StaleEpochIgnoredTest {
    private final JettyContainer container = new JettyContainer();

    @AfterEach
    void stop() throws Exception {
        container.close();
    }

    @Test
    void aDirectiveOlderThanTheNewestLeaderChangesNothing(@TempDir Path tmp) throws Exception {
        int jmxPort = Ports.free();
        String param = "<init-param><param-name>deny</param-name>";
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, param,
                "<init-param><param-name>agent</param-name><param-value>embedded</param-value></init-param>\n"
                + "<init-param><param-name>agent.jmx.port</param-name><param-value>" + jmxPort
                + "</param-value></init-param>\n"
                + "<init-param><param-name>agent.host.id</param-name><param-value>web-1</param-value></init-param>\n"
                + param);
        container.start(webapp, FilterInContainerContract.CONTEXT, 8);
        assertNull(container.startupFailure());
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        try (JMXConnector jmx = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection remote = jmx.getMBeanServerConnection();
            AgentMXBean agent = JMX.newMXBeanProxy(remote, ObjectNames.agent(), AgentMXBean.class);
            FilterMXBean filter = JMX.newMXBeanProxy(remote, ObjectNames.filter(FilterInContainerContract.CONTEXT),
                    FilterMXBean.class);
            Await.until("the embedded agent watches the filter", () -> agent.getWatchedFilters() == 1);

            // the leader of epoch 7 moves everything to b: a page is redirected
            assertTrue(agent.applyDirectiveAtEpoch("REDIRECT", new String[] {"b"}, 1.0, 60_000, 7));
            assertEquals(7, agent.getDirectiveEpoch());
            assertEquals(7, filter.getDirectiveEpoch(), "the agent passes the epoch on to the filter");
            assertTrue(movedBy(filter), "epoch 7's directive chooses the request for b");

            // a paused former leader (epoch 6) wakes up and tries to undo it, three ways: all refused at the agent
            assertFalse(agent.clearDirectiveAtEpoch(6));
            assertFalse(agent.applyPermitAtEpoch("PROXY", new String[] {"b"}, new double[] {5}, 60_000, 6));
            agent.clearDirective(); // no epoch at all: a manager without election, older than any leader
            assertEquals(3, agent.getStaleDirectivesIgnored());
            assertEquals("REDIRECT", filter.getDirectiveMode());
            assertTrue(movedBy(filter), "still chosen under epoch 7");

            // straight to the filter, past the agent (another agent, JConsole): the filter fences by itself
            assertFalse(filter.clearDirectiveAtEpoch(6));
            assertEquals(1, filter.getStaleDirectivesIgnored());
            assertTrue(movedBy(filter));

            // the same leader renews (equal epoch passes) and a newer one takes over
            assertTrue(agent.applyDirectiveAtEpoch("REDIRECT", new String[] {"b"}, 1.0, 60_000, 7));
            assertTrue(agent.clearDirectiveAtEpoch(8));
            assertEquals("LOCAL", filter.getDirectiveMode());
            assertFalse(movedBy(filter), "epoch 8 cleared it: served here");
            assertEquals(8, filter.getDirectiveEpoch());
        }
    }

    /**
     * Sends one real request and says whether the directive chose it to move: the filter's own count, because
     * whether it then goes out as a 307 depends on b (nothing listens there, so b soon counts as down).
     */
    private boolean movedBy(FilterMXBean filter) throws Exception {
        long chosen = filter.getChosen();
        int status = RawHttp.get(container.port(), "/app/catalog/1").status();
        assertTrue(status == 200 || status == 307, "answered " + status);
        return filter.getChosen() == chosen + 1;
    }
}
