package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxClients;
import dev.spillway.agent.sampling.LocalJvm;
import dev.spillway.agent.testing.FakeFilter;
import dev.spillway.testkit.Ports;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.StandardMBean;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;

/** A lease beyond the documented maximum, sent to a real agent over JMX, is refused and reaches no filter. */
class DirectiveLeaseTest {

    @Test
    void aLeaseBeyondTheMaximumIsRefusedOverJmx() throws Exception {
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        FakeFilter shop = new FakeFilter();
        mbs.registerMBean(new StandardMBean(shop, FilterMXBean.class, true), ObjectNames.filter("/shop"));
        int port = Ports.free();
        AgentSettings s = AgentSettings.from(ConfigValues.of(Map.of("host.id", "web-1", "jmx.port",
                String.valueOf(port))));
        try (Agent agent = Agent.start(s, mbs, List.of(new LocalJvm(mbs)));
             JMXConnector c = JmxClients.connect("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi",
                     null, null, false, Duration.ofSeconds(20))) {
            AgentMXBean remote = JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.agent(),
                    AgentMXBean.class);
            for (long lease : new long[] {Long.MAX_VALUE, Directive.MAX_LEASE_MILLIS + 1}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> remote.applyDirective("REDIRECT", new String[] {"b"}, 0.5, lease));
                assertTrue(e.getMessage().contains("expected 1..86400000 (24 h)"), e.getMessage());
                assertEquals("LOCAL", shop.mode, "a refused directive reaches no filter");
            }
            remote.applyDirective("REDIRECT", new String[] {"b"}, 0.5, Directive.MAX_LEASE_MILLIS);
            assertEquals("REDIRECT", shop.mode, "the maximum itself is accepted");
        }
    }
}
