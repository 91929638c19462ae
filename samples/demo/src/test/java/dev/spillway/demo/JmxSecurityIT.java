package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.ObjectNames;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;

/**
 * The demo runs every JMX connector with the users of conf/jmxremote.password.example and the roles of
 * conf/jmxremote.access: agents and the manager reach each other as "operator"; nobody gets in without a user,
 * with a wrong password, or (as "monitor") to steer a filter, register a host or alert the manager.
 */
class JmxSecurityIT {

    @Test
    void everyConnectorWantsAUserAndOnlyTheControlRoleSteers() throws Exception {
        try (Cluster cluster = E2e.cluster(E2e.runDir("jmx-security"))) {
            cluster.startManager(true); // returns once all three agents registered: as "operator", with a password
            // Polled: ok or overloaded (the demo's servers read the machine's CPU, which a busy machine fills).
            E2e.await("the manager polls a's agent", () -> cluster.hostState("a"),
                    s -> "ok".equals(s) || "overloaded".equals(s));

            JmxUsers users = cluster.jmxUsers();
            for (var file : new java.nio.file.Path[] {users.passwordFile(), users.accessFile(),
                    cluster.runDir().resolve("manager.properties"), cluster.runDir().resolve("a.properties")}) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file
                        + " holds or names passwords: owner only");
            }

            String agent = cluster.server("a").agentJmxUrl();
            String manager = cluster.managerJmxUrl();
            for (String url : new String[] {agent, manager}) {
                assertThrows(SecurityException.class, () -> connect(url, null), url + " without a user");
                assertThrows(SecurityException.class,
                        () -> connect(url, new String[] {JmxUsers.CONTROLLER, "not-the-password"}), url);
                assertThrows(SecurityException.class, () -> connect(url, new String[] {"nobody", "x"}), url);
            }

            try (JMXConnector reader = connect(agent, users.credentials(JmxUsers.READER))) {
                MBeanServerConnection mbs = reader.getMBeanServerConnection();
                assertNotNull(mbs.getAttribute(ObjectNames.filter(Cluster.CONTEXT), "QueueLength"),
                        "monitor reads figures");
                assertThrows(SecurityException.class, () -> mbs.invoke(ObjectNames.filter(Cluster.CONTEXT),
                        "applyDirective", new Object[] {"REDIRECT", new String[] {"b"}, 1.0, 60_000L},
                        new String[] {String.class.getName(), String[].class.getName(), double.class.getName(),
                            long.class.getName()}), "monitor must not steer a filter");
            }
            try (JMXConnector reader = connect(manager, users.credentials(JmxUsers.READER))) {
                MBeanServerConnection mbs = reader.getMBeanServerConnection();
                assertThrows(SecurityException.class, () -> mbs.invoke(ObjectNames.manager(), "register",
                        new Object[] {"intruder", agent, "z", "http://127.0.0.1:1/"},
                        new String[] {String.class.getName(), String.class.getName(), String.class.getName(),
                            String.class.getName()}), "monitor must not register a host");
                assertThrows(SecurityException.class, () -> mbs.invoke(ObjectNames.manager(), "alert",
                        new Object[] {"a"}, new String[] {String.class.getName()}),
                        "monitor must not bring a cycle forward");
                // watch-only manager: its marks are set out of reach, but they are there to read
                assertTrue((Long) mbs.getAttribute(ObjectNames.manager(), "SurgeQueueDelayMillis") > 0,
                        "monitor reads the surge marks");
            }
            assertEquals(null, cluster.hostState("intruder"));
            try (FilterProbe probe = cluster.probe("a")) {
                assertEquals("LOCAL", probe.read().mode(), "no directive was applied by the refused calls");
            }
        }
    }

    private static JMXConnector connect(String url, String[] credentials) throws Exception {
        return JMXConnectorFactory.connect(new JMXServiceURL(url),
                credentials == null ? Map.of() : Map.of(JMXConnector.CREDENTIALS, credentials));
    }
}
