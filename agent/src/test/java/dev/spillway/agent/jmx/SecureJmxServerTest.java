package dev.spillway.agent.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.testkit.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureJmxServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    public interface CounterMXBean {
        int getValue();

        void poke();
    }

    public static final class Counter implements CounterMXBean {
        volatile int value;

        @Override
        public int getValue() {
            return value;
        }

        @Override
        public void poke() {
            value++;
        }
    }

    @TempDir
    Path dir;
    private MBeanServer mbs;
    private final Counter counter = new Counter();
    private final ObjectName counterName = new ObjectName("dev.spillway:type=Test");
    private SecureJmxServer server;

    SecureJmxServerTest() throws Exception {
    }

    @BeforeEach
    void setUp() throws Exception {
        mbs = MBeanServerFactory.newMBeanServer();
        mbs.registerMBean(counter, counterName);
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    /** Tomcat sets java.naming.factory.initial JVM-wide to a class only its own loaders see; connects must not mind. */
    @Test
    void aClientConnectsWhateverJndiFactoryTheContainerSetForTheJvm() throws Exception {
        server = SecureJmxServer.start(JmxServerSettings.loopback(0), mbs);
        String previous = System.getProperty("java.naming.factory.initial");
        System.setProperty("java.naming.factory.initial", "org.apache.naming.java.javaURLContextFactory");
        try (JMXConnector c = JmxClients.connect(url(), null, null, false, TIMEOUT)) {
            assertEquals(0, c.getMBeanServerConnection().getAttribute(counterName, "Value"));
        } finally {
            if (previous == null) {
                System.clearProperty("java.naming.factory.initial");
            } else {
                System.setProperty("java.naming.factory.initial", previous);
            }
        }
    }

    private JmxServerSettings withPasswords() throws IOException {
        Path pw = dir.resolve("jmx.password");
        Files.writeString(pw, "# users\nviewer viewpw\noperator oppw\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path access = dir.resolve("jmx.access");
        Files.writeString(access, "viewer readonly\noperator control\n");
        return JmxServerSettings.loopback(0).withPasswordFiles(pw, access);
    }

    private String url() {
        return server.serviceUrl().toString();
    }

    @Test
    void servesTheStandardUrlOnLoopbackWithoutAuthentication() throws Exception {
        server = SecureJmxServer.start(JmxServerSettings.loopback(0), mbs);
        assertTrue(url().matches("service:jmx:rmi:///jndi/rmi://127\\.0\\.0\\.1:\\d+/jmxrmi"), url());
        try (JMXConnector c = JmxClients.connect(url(), null, null, false, TIMEOUT)) {
            MBeanServerConnection conn = c.getMBeanServerConnection();
            conn.invoke(counterName, "poke", null, null);
            assertEquals(1, conn.getAttribute(counterName, "Value"));
        }
    }

    @Test
    void refusesMissingCredentialsAndWrongPassword() throws Exception {
        server = SecureJmxServer.start(withPasswords(), mbs);
        IOException none = assertThrows(IOException.class, () -> JmxClients.connect(url(), null, null, false, TIMEOUT));
        assertTrue(none.getCause() instanceof SecurityException, String.valueOf(none.getCause()));
        IOException wrong = assertThrows(IOException.class,
                () -> JmxClients.connect(url(), "operator", "nope", false, TIMEOUT));
        assertTrue(wrong.getCause() instanceof SecurityException, String.valueOf(wrong.getCause()));
        IOException unknown = assertThrows(IOException.class,
                () -> JmxClients.connect(url(), "mallory", "oppw", false, TIMEOUT));
        assertTrue(unknown.getCause() instanceof SecurityException, String.valueOf(unknown.getCause()));
    }

    @Test
    void readonlyUserReadsButCannotInvoke() throws Exception {
        server = SecureJmxServer.start(withPasswords(), mbs);
        try (JMXConnector c = JmxClients.connect(url(), "viewer", "viewpw", false, TIMEOUT)) {
            MBeanServerConnection conn = c.getMBeanServerConnection();
            assertEquals(0, conn.getAttribute(counterName, "Value"));
            SecurityException e = assertThrows(SecurityException.class,
                    () -> conn.invoke(counterName, "poke", null, null));
            assertTrue(e.getMessage().contains("control"), e.getMessage());
        }
        assertEquals(0, counter.value);
    }

    @Test
    void controlUserInvokesSpillwayMBeansOnly() throws Exception {
        server = SecureJmxServer.start(withPasswords(), mbs);
        mbs.registerMBean(new Counter(), new ObjectName("other:type=Counter"));
        try (JMXConnector c = JmxClients.connect(url(), "operator", "oppw", false, TIMEOUT)) {
            MBeanServerConnection conn = c.getMBeanServerConnection();
            conn.invoke(counterName, "poke", null, null);
            assertEquals(1, counter.value);
            assertThrows(SecurityException.class,
                    () -> conn.invoke(new ObjectName("other:type=Counter"), "poke", null, null));
            assertThrows(SecurityException.class,
                    () -> conn.unregisterMBean(counterName));
            assertThrows(SecurityException.class,
                    () -> conn.createMBean("javax.management.timer.Timer", new ObjectName("dev.spillway:type=T")));
        }
    }

    @Test
    void refusesCredentialsThatAreNotTwoStrings() throws Exception {
        server = SecureJmxServer.start(withPasswords(), mbs);
        JMXServiceURL u = server.serviceUrl();
        Object[] notStrings = {"operator", Integer.valueOf(7)};
        Exception objects = assertThrows(Exception.class, () -> JmxClients.connect(u,
                Map.of(JMXConnector.CREDENTIALS, notStrings), TIMEOUT).close());
        assertTrue(objects instanceof IOException || objects instanceof SecurityException, objects.toString());
        Exception threeStrings = assertThrows(Exception.class, () -> JmxClients.connect(u,
                Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "oppw", "x"}), TIMEOUT).close());
        assertTrue(threeStrings instanceof IOException || threeStrings instanceof SecurityException,
                threeStrings.toString());
        Exception map = assertThrows(Exception.class, () -> JmxClients.connect(u,
                Map.of(JMXConnector.CREDENTIALS, new java.util.HashMap<>(Map.of("operator", "oppw"))), TIMEOUT)
                .close());
        assertTrue(map instanceof IOException || map instanceof SecurityException, map.toString());
        // and the right ones still work, so the refusals above are about the type, not a broken server
        JmxClients.connect(url(), "operator", "oppw", false, TIMEOUT).close();
    }

    @Test
    void isNotReachableOnANonLoopbackAddressByDefault() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to check against");
        server = SecureJmxServer.start(JmxServerSettings.from(ConfigValues.empty(), "jmx.", 0), mbs);
        int port = server.port();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        }
        IOException refused = assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(external.get(), port), 2000);
            }
        });
        assertTrue(refused instanceof java.net.ConnectException || refused instanceof java.net.SocketTimeoutException,
                refused.toString());
    }

    /** "Any free port" is a number that was free a moment ago; one taken since then must not fail the start. */
    @Test
    void anyFreePortTriesAnotherWhenTheOneItPickedWasTakenMeanwhile() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int[] picks = {0};
            server = SecureJmxServer.start(JmxServerSettings.loopback(0), mbs, false, s -> {
                picks[0]++;
                return picks[0] == 1 ? taken.getLocalPort() : freeLoopbackPort();
            });
            assertEquals(2, picks[0], "a second port after the taken one");
            assertNotEquals(taken.getLocalPort(), server.port());
            try (JMXConnector c = JmxClients.connect(url(), null, null, false, TIMEOUT)) {
                assertEquals(0, c.getMBeanServerConnection().getAttribute(counterName, "Value"));
            }
        }
    }

    /** A port the operator configured is theirs: taken, it fails at once with the port in the message. */
    @Test
    void aConfiguredPortThatIsTakenFailsNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int[] picks = {0};
            IOException e = assertThrows(IOException.class, () -> SecureJmxServer.start(
                    JmxServerSettings.loopback(taken.getLocalPort()), mbs, false, s -> ++picks[0]));
            assertTrue(e.getMessage().contains("cannot start the JMX connector on 127.0.0.1:" + taken.getLocalPort()),
                    e.getMessage());
            assertEquals(0, picks[0], "no other port tried");
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void closeFreesThePort() throws Exception {
        server = SecureJmxServer.start(JmxServerSettings.loopback(0), mbs);
        int port = server.port();
        server.close();
        server = null;
        // Once this JVM has been an RMI client (another test connected to its own server), RMI closes the listener
        // a moment after the unexport rather than during it; the port must be free within a bounded wait.
        Await.until("port " + port + " refuses connections after close()", () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                return false;
            } catch (IOException refused) {
                return true;
            }
        });
    }

    @Test
    void refusesUnsafeConfiguration() throws Exception {
        ConfigException open = assertThrows(ConfigException.class, () -> JmxServerSettings.from(
                ConfigValues.of(Map.of("jmx.host", "0.0.0.0")), "jmx.", 0));
        assertEquals("jmx.password.file", open.key());
        ConfigException name = assertThrows(ConfigException.class, () -> JmxServerSettings.from(
                ConfigValues.of(Map.of("jmx.host", "example.org")), "jmx.", 0));
        assertEquals("jmx.host", name.key());
        Path pw = dir.resolve("open.password");
        Files.writeString(pw, "operator oppw\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r--r--"));
        Path access = dir.resolve("open.access");
        Files.writeString(access, "operator control\n");
        ConfigException readable = assertThrows(ConfigException.class, () -> SecureJmxServer.start(
                JmxServerSettings.loopback(0).withPasswordFiles(pw, access), mbs));
        assertEquals("jmx.password.file", readable.key());
        assertTrue(readable.getMessage().contains("chmod 600"), readable.getMessage());
    }

    @Test
    void theExamplePasswordsServeLoopbackOnly() throws Exception {
        Path pw = dir.resolve("example.password");
        Files.writeString(pw, "monitor change-me-readonly\noperator change-me-control\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path access = dir.resolve("example.access");
        Files.writeString(access, "monitor readonly\noperator control\n");
        JmxServerSettings everywhere = JmxServerSettings.from(ConfigValues.of(Map.of("jmx.host", "0.0.0.0",
                "jmx.port", "0", "jmx.password.file", pw.toString(), "jmx.access.file", access.toString())), "jmx.", 0);
        ConfigException e = assertThrows(ConfigException.class, () -> SecureJmxServer.start(everywhere, mbs));
        assertEquals("jmx.password.file", e.key());
        assertTrue(e.getMessage().contains("user 'monitor' has an example password"), e.getMessage());
        server = SecureJmxServer.start(JmxServerSettings.loopback(0).withPasswordFiles(pw, access), mbs);
        try (JMXConnector c = JmxClients.connect(url(), "operator", "change-me-control", false, TIMEOUT)) {
            assertEquals(0, c.getMBeanServerConnection().getAttribute(counterName, "Value"), "the demo's case");
        }
    }

    static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
