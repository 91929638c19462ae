package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.agent.testing.FakeManager;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent whose registration keeps failing warns once per distinct reason: first nothing listens (refused), then a
 * real manager connector that wants a password the agent does not have. Each retry is logged at FINE only.
 */
class RegistrationFailureLogTest {
    private static final Logger LOG = Logger.getLogger(ManagerRegistration.class.getName());

    @TempDir
    Path dir;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override public void publish(LogRecord r) { records.add(r); }
        @Override public void flush() { }
        @Override public void close() { }
    };
    private Level previousLevel;
    private Agent agent;
    private SecureJmxServer managerServer;

    @BeforeEach
    void listen() {
        previousLevel = LOG.getLevel();
        LOG.setLevel(Level.FINE);
        LOG.addHandler(capture);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (managerServer != null) {
            managerServer.close();
        }
        LOG.removeHandler(capture);
        LOG.setLevel(previousLevel);
    }

    private List<String> messages(Level level, String containing) {
        return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage)
                .filter(m -> m.contains(containing)).toList();
    }

    @Test
    void aNewReasonForFailingIsWarnedOnceAndARepeatedOneIsNot() throws Exception {
        int port = Ports.free();
        String url = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
        AgentSettings s = AgentSettings.from(ConfigValues.of(Map.of("host.id", "web-1", "jmx.port", "0",
                "manager.url", url, "manager.register-interval", "1s")));
        agent = Agent.start(s, MBeanServerFactory.newMBeanServer(), List.of());

        assertTrue(Await.eventually(30_000, () -> messages(Level.FINE, "failed again").size() >= 2),
                "the registration was retried; log " + messages(Level.FINE, ""));
        List<String> warnings = messages(Level.WARNING, "cannot register");
        assertEquals(1, warnings.size(), "one warning for repeated refusals: " + warnings);
        assertTrue(warnings.get(0).contains("Connection refused"), warnings.get(0));

        // Now a manager listens there, but wants a password: a new reason, so a new warning.
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "agent secret-of-the-agents\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path access = dir.resolve("access");
        Files.writeString(access, "agent control\n");
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        mbs.registerMBean(new FakeManager(), ObjectNames.manager());
        managerServer = SecureJmxServer.start(JmxServerSettings.loopback(port).withPasswordFiles(pw, access), mbs);

        assertTrue(Await.eventually(30_000, () -> messages(Level.WARNING, "cannot register").size() >= 2),
                "a warning for the new reason; log " + messages(Level.FINE, ""));
        int finesBefore = messages(Level.FINE, "SecurityException").size();
        assertTrue(Await.eventually(30_000, () -> messages(Level.FINE, "SecurityException").size() >= finesBefore + 2),
                "retried with the new reason");
        warnings = messages(Level.WARNING, "cannot register");
        assertEquals(2, warnings.size(), "one warning per reason: " + warnings);
        assertTrue(warnings.get(1).contains("SecurityException"), warnings.get(1));
    }
}
