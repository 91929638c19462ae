package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.agent.sampling.JvmConnection;
import dev.spillway.agent.sampling.RemoteJvm;
import dev.spillway.agent.testing.FakeFilter;
import dev.spillway.agent.testing.MapMBean;
import dev.spillway.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.Test;

/** A standalone agent watching a "container JVM" over a real JMX connector: reads, relays, survives its restarts. */
class StandaloneWatchTest {

    @Test
    void readsAndSteersARemoteContainerAndReconnectsAfterItRestarts() throws Exception {
        MBeanServer container = MBeanServerFactory.newMBeanServer();
        FakeFilter shop = new FakeFilter();
        shop.queueAverage = 12;
        shop.queueSource = "tomcat-executor";
        shop.delay = 250;
        container.registerMBean(new StandardMBean(shop, FilterMXBean.class, true), ObjectNames.filter("/shop"));
        container.registerMBean(new MapMBean(Map.of("activeSessions", 7, "maxActiveSessions", 100)),
                new ObjectName("Catalina:type=Manager,context=/shop,host=localhost"));
        SecureJmxServer containerJmx = SecureJmxServer.start(JmxServerSettings.loopback(0), container);
        String containerUrl = containerJmx.serviceUrl().toString();
        int containerPort = containerJmx.port(); // restarted on the same port below

        AgentSettings settings = AgentSettings.from(ConfigValues.of(Map.of("host.id", "h1", "jmx.port", "0",
                "sample.interval", "100ms", "watch", containerUrl)));
        List<JvmConnection> watched = List.of(new RemoteJvm(containerUrl, "", "", false, Duration.ofSeconds(20)));
        try (Agent agent = Agent.start(settings, MBeanServerFactory.newMBeanServer(), watched)) {
            Await.until("reads the remote filter", () -> agent.latest().getFilters() == 1);
            assertEquals(12, agent.latest().getQueueLength());
            assertEquals(250, agent.latest().getQueueDelayMillis());
            assertEquals(7, agent.latest().getActiveSessions());
            assertEquals(100, agent.latest().getSessionCapacity());

            new DirectiveRelay("h1", watched).apply("PROXY", new String[] {"c"}, 0.2, 5_000);
            assertEquals("PROXY", shop.mode);

            containerJmx.close();
            assertTrue(Await.eventually(Await.PATIENCE_MILLIS, () -> agent.latest().getFilters() == 0),
                    "a container that went away adds nothing");
            assertTrue(Double.isNaN(agent.latest().getQueueLength()), "and its queue is unknown, not 0");

            containerJmx = SecureJmxServer.start(JmxServerSettings.loopback(containerPort), container);
            Await.until("reconnects after back-off", () -> agent.latest().getFilters() == 1);
        } finally {
            containerJmx.close();
        }
    }
}
