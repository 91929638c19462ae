package dev.spillway.agent.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.Query;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real connector on this JVM's platform MBeanServer, read as {@code monitor} (readonly) and {@code operator}
 * (control): Spillway's MBeans and the documented load figures are served; Runtime's system properties and JVM
 * arguments (where {@code -D} passwords live) and everything else are not, nor query expressions that would read
 * them inside the server.
 */
class ReadAccessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectName COUNTER = name("dev.spillway:type=ReadAccessTest");
    private static final ObjectName RUNTIME = name("java.lang:type=Runtime");

    @TempDir
    Path dir;
    private final MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
    private SecureJmxServer server;

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void start() throws Exception {
        System.setProperty("spillway.test.datasource.password", "do-not-serve-me");
        platform.registerMBean(new SecureJmxServerTest.Counter(), COUNTER);
        Path pw = dir.resolve("jmx.password");
        Files.writeString(pw, "monitor monitor-pw-0123456789\noperator operator-pw-0123456789\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path access = dir.resolve("jmx.access");
        Files.writeString(access, "monitor readonly\noperator control\n");
        server = SecureJmxServer.start(JmxServerSettings.loopback(0).withPasswordFiles(pw, access), platform);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        platform.unregisterMBean(COUNTER);
        System.clearProperty("spillway.test.datasource.password");
    }

    private JMXConnector as(String user) throws Exception {
        return JmxClients.connect(server.serviceUrl().toString(), user, user + "-pw-0123456789", false, TIMEOUT);
    }

    @Test
    void monitorReadsSpillwayAndLoadFiguresOnly() throws Exception {
        try (JMXConnector c = as("monitor")) {
            MBeanServerConnection m = c.getMBeanServerConnection();
            assertEquals(0, m.getAttribute(COUNTER, "Value"));
            assertNotNull(m.getAttribute(name("java.lang:type=Memory"), "HeapMemoryUsage"));
            assertNotNull(m.getAttribute(name("java.lang:type=OperatingSystem"), "SystemLoadAverage"));
            assertNotNull(m.getAttribute(name("java.lang:type=Threading"), "ThreadCount"));
            assertNotNull(m.getAttribute(RUNTIME, "Uptime"));
            assertTrue(m.queryNames(null, null).contains(RUNTIME), "names are not secret");

            for (String secret : new String[] {"SystemProperties", "InputArguments", "ClassPath"}) {
                SecurityException e = assertThrows(SecurityException.class, () -> m.getAttribute(RUNTIME, secret));
                assertTrue(e.getMessage().contains("can hold passwords"), e.getMessage());
            }
            assertThrows(SecurityException.class,
                    () -> m.getAttributes(RUNTIME, new String[] {"Uptime", "InputArguments"}));
            assertThrows(SecurityException.class, () -> m.getAttribute(name("java.lang:type=Threading"),
                    "AllThreadIds"));
            SecurityException other = assertThrows(SecurityException.class,
                    () -> m.getAttribute(name("java.util.logging:type=Logging"), "LoggerNames"));
            assertTrue(other.getMessage().contains("documented load figures only"), other.getMessage());
            assertThrows(SecurityException.class, () -> m.queryNames(null,
                    Query.initialSubString(Query.attr("ClassPath"), Query.value("/"))));
        }
    }

    @Test
    void controlDoesNotReadRuntimePropertiesEither() throws Exception {
        try (JMXConnector c = as("operator")) {
            MBeanServerConnection m = c.getMBeanServerConnection();
            assertEquals(0, m.getAttribute(COUNTER, "Value"));
            assertThrows(SecurityException.class, () -> m.getAttribute(RUNTIME, "SystemProperties"));
            assertThrows(SecurityException.class, () -> m.getAttribute(RUNTIME, "InputArguments"));
        }
    }
}
