package dev.spillway.agent.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;

/**
 * Another client tries to put its own connector stub into a real connector's RMI registry over the network, as a
 * local process that wants the passwords JConsole, agents and the manager send would do. It must be refused and
 * clients must still reach the real connector.
 */
class RegistryLockTest {
    private static final ObjectName COUNTER = objectName("dev.spillway:type=Test");

    private static ObjectName objectName(String s) {
        try {
            return new ObjectName(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static MBeanServer serverWith(int value) throws Exception {
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        SecureJmxServerTest.Counter c = new SecureJmxServerTest.Counter();
        c.value = value;
        mbs.registerMBean(c, COUNTER);
        return mbs;
    }

    /**
     * An unbind sends only a name, which the deserialization filter lets through, and the JDK's registry allows
     * it from any process on this machine: the connector would vanish for every client (and a registry that lost
     * its entry invites a rogue one). It must be refused, and the connector still served.
     */
    @Test
    void anUnbindFromAnotherClientIsRefusedAndTheConnectorStaysReachable() throws Exception {
        try (SecureJmxServer real = SecureJmxServer.start(JmxServerSettings.loopback(0), serverWith(42), true)) {
            Registry registry = LocateRegistry.getRegistry("127.0.0.1", real.port());
            Remote before = registry.lookup("jmxrmi");

            RemoteException refused = assertThrows(RemoteException.class, () -> registry.unbind("jmxrmi"));
            assertThrows(RemoteException.class, () -> registry.rebind("jmxrmi", before));
            assertThrows(RemoteException.class, () -> registry.bind("jmxrmi2", before));
            assertThrows(RemoteException.class, () -> registry.unbind("no-such-name"),
                    "refused before the name is even looked at");

            assertEquals(java.util.List.of("jmxrmi"), java.util.List.of(registry.list()), refused.toString());
            assertEquals(before, registry.lookup("jmxrmi"));
            try (JMXConnector c = JmxClients.connect(real.serviceUrl().toString(), null, null, false,
                    Duration.ofSeconds(20))) {
                assertEquals(42, c.getMBeanServerConnection().getAttribute(COUNTER, "Value"));
            }
        }
    }

    @Test
    void aRebindFromAnotherClientIsRefusedAndTheStubIsUnchanged() throws Exception {
        try (SecureJmxServer real = SecureJmxServer.start(JmxServerSettings.loopback(0), serverWith(41));
             SecureJmxServer rogue = SecureJmxServer.start(JmxServerSettings.loopback(0), serverWith(666))) {
            Remote rogueStub = LocateRegistry.getRegistry("127.0.0.1", rogue.port()).lookup("jmxrmi");
            Registry registry = LocateRegistry.getRegistry("127.0.0.1", real.port());
            Remote before = registry.lookup("jmxrmi");

            assertThrows(RemoteException.class, () -> registry.rebind("jmxrmi", rogueStub));
            assertThrows(RemoteException.class, () -> registry.bind("jmxrmi2", rogueStub));

            Remote after = registry.lookup("jmxrmi");
            assertEquals(before, after, "the registry still hands out the connector's own stub");
            assertNotEquals(rogueStub, after);
            assertEquals(java.util.List.of("jmxrmi"), java.util.List.of(registry.list()));
            try (JMXConnector c = JmxClients.connect(real.serviceUrl().toString(), null, null, false,
                    Duration.ofSeconds(20))) {
                assertEquals(41, c.getMBeanServerConnection().getAttribute(COUNTER, "Value"));
            }
        }
    }
}
