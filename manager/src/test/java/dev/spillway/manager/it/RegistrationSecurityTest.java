package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.ManagerMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxClients;
import dev.spillway.manager.HostView;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.manager.poll.AgentPoller;
import dev.spillway.testkit.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMX;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile registrations against a real manager over its real, password-protected JMX connector, sent with the
 * control login every web host has. Nothing may make the manager connect (with the agents' password) to an address
 * the operator did not allow, take over an id, grow the table without bound, or report what a probed port said.
 */
class RegistrationSecurityTest {
    private static final String AGENT_PW = "agent-login-0123456789";
    private static final String OPERATOR_PW = "operator-login-0123456789";

    @TempDir
    Path dir;
    private Manager manager;
    private final List<JMXConnector> connections = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        connections.forEach(JmxClients::closeQuietly);
        if (manager != null) {
            manager.close();
        }
    }

    private void startManager(Map<String, String> extra) throws Exception {
        Path pw = dir.resolve("jmx.password");
        Files.writeString(pw, "agent " + AGENT_PW + "\noperator " + OPERATOR_PW + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path access = dir.resolve("jmx.access");
        Files.writeString(access, "agent control\noperator control\n");
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", "0");
        m.put("jmx.password.file", pw.toString());
        m.put("jmx.access.file", access.toString());
        m.put("poll.interval", "200ms");
        m.put("agent.jmx.user", "manager");
        m.put("agent.jmx.password", "the-password-of-every-agent");
        m.put("registration.operators", "operator");
        m.putAll(extra);
        manager = Manager.start(ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer());
    }

    private ManagerMXBean as(String user, String password) throws IOException {
        JMXConnector c = JmxClients.connect(manager.jmxUrl(), user, password, false, Duration.ofSeconds(20));
        connections.add(c);
        return JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.manager(), ManagerMXBean.class);
    }

    private static String url(String hostPort) {
        return "service:jmx:rmi:///jndi/rmi://" + hostPort + "/jmxrmi";
    }

    private void awaitCycles(int n) {
        long target = manager.loop().cycles() + n;
        Await.until(n + " more manager cycles", () -> manager.loop().cycles() >= target);
    }

    @Test
    void aRegistrationNamingAHostNotAllowedNeverGetsAConnectionFromTheManager() throws Exception {
        startManager(Map.of("registration.allow", "127.0.0.1, 10.1.2.3"));
        ManagerMXBean m = as("agent", AGENT_PW);
        // An address of this machine that the operator did not list: the manager must never connect there.
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket trap = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
            Thread t = new Thread(() -> {
                while (!trap.isClosed()) {
                    try (Socket s = trap.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            String trapUrl = url("127.0.0.2:" + trap.getLocalPort());
            RuntimeException e = assertThrows(RuntimeException.class, () -> m.register("web-9", trapUrl, "", ""));
            assertTrue(e.getMessage().contains("registration.allow"), e.getMessage());
            RuntimeException byName = assertThrows(RuntimeException.class,
                    () -> m.register("web-9", url("localhost:" + trap.getLocalPort()), "", ""));
            assertTrue(byName.getMessage().contains("registration.allow"), byName.getMessage());
            awaitCycles(5);
            assertEquals(0, accepted.get(), "the manager connected to the trap");
        }
        assertFalse(manager.table().contains("web-9"));
    }

    @Test
    void onlyRmiRegistryUrlsAreAccepted() throws Exception {
        startManager(Map.of());
        ManagerMXBean m = as("agent", AGENT_PW);
        List<String> hostile = List.of(
                "service:jmx:rmi:///stub/rO0ABXNyAC5qYXZheC5tYW5hZ2VtZW50LnJlbW90ZS5ybWkuUk1JU2VydmVySW1wbF9TdHVi",
                "service:jmx:rmi:///jndi/ldap://127.0.0.1:389/cn=jmx",
                "service:jmx:rmi:///jndi/dns://127.0.0.1/x",
                "service:jmx:rmi:///jndi/iiop://127.0.0.1:900/x",
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:1099/jmxrmi/../evil",
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:1099/jmxrmi?x=y",
                "service:jmx:rmi:///jndi/rmi://user@127.0.0.1:1099/jmxrmi",
                "service:jmx:rmi:///jndi/rmi://127.0.0.1/jmxrmi",
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:99999/jmxrmi",
                "service:jmx:jmxmp://127.0.0.1:9875",
                "service:jmx:rmi://127.0.0.1:1099/jndi/rmi://127.0.0.1:1099/jmxrmi",
                " service:jmx:rmi:///jndi/rmi://127.0.0.1:1099/jmxrmi");
        for (String u : hostile) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> m.register("web-1", u, "", ""), u);
            assertTrue(e.getMessage().contains("service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi"),
                    u + ": " + e.getMessage());
        }
        assertFalse(manager.table().contains("web-1"));
        m.register("web-1", url("127.0.0.1:1099"), "", "");
        assertTrue(manager.table().contains("web-1"), "the RMI registry form is accepted");
    }

    @Test
    void anIdStaysWithTheEndpointThatRegisteredItUntilAnOperatorReleasesIt() throws Exception {
        startManager(Map.of("registration.allow", "127.0.0.1, 10.1.2.3, 10.1.2.4"));
        ManagerMXBean agent = as("agent", AGENT_PW);
        agent.register("web-1", url("10.1.2.3:9010"), "eu", "");
        agent.register("web-1", url("10.1.2.3:9010"), "eu", ""); // renewing is fine
        RuntimeException hijack = assertThrows(RuntimeException.class,
                () -> agent.register("web-1", url("10.1.2.4:9010"), "eu", ""));
        assertTrue(hijack.getMessage().contains("bound to the agent that registered it first"), hijack.getMessage());
        assertEquals(url("10.1.2.3:9010"), manager.table().get("web-1").jmxUrl());

        // this caller (127.0.0.1) is not web-1's endpoint (10.1.2.3) and not an operator
        RuntimeException drop = assertThrows(RuntimeException.class, () -> agent.deregister("web-1"));
        assertTrue(drop.getMessage().contains("only by its own agent or by an operator"), drop.getMessage());
        assertTrue(manager.table().contains("web-1"));

        as("operator", OPERATOR_PW).deregister("web-1");
        assertFalse(manager.table().contains("web-1"));
        agent.register("web-1", url("10.1.2.4:9010"), "eu", "");
        assertEquals(url("10.1.2.4:9010"), manager.table().get("web-1").jmxUrl());
    }

    @Test
    void theManagersRegistryCannotBeEmptiedFromOutside() throws Exception {
        startManager(Map.of());
        int port = Integer.parseInt(manager.jmxUrl().replaceAll(".*:(\\d+)/jmxrmi$", "$1"));
        java.rmi.registry.Registry registry = java.rmi.registry.LocateRegistry.getRegistry("127.0.0.1", port);
        java.rmi.Remote stub = registry.lookup("jmxrmi");
        assertThrows(java.rmi.RemoteException.class, () -> registry.unbind("jmxrmi"), "unbind over the network");
        assertThrows(java.rmi.RemoteException.class, () -> registry.rebind("jmxrmi", stub), "rebind over the network");
        assertNotNull(registry.lookup("jmxrmi"), "still served");
        as("agent", AGENT_PW).register("web-1", url("127.0.0.1:9010"), "", "");
        assertTrue(manager.table().contains("web-1"), "registration works as before");
    }

    @Test
    void anAgentMayDeregisterItself() throws Exception {
        startManager(Map.of());
        ManagerMXBean agent = as("agent", AGENT_PW);
        agent.register("web-1", url("127.0.0.1:9010"), "", "");
        agent.deregister("web-1"); // the call comes from 127.0.0.1, the host of the registered URL
        assertFalse(manager.table().contains("web-1"));
    }

    @Test
    void theNumberOfRegisteredHostsIsCapped() throws Exception {
        startManager(Map.of("registration.maxHosts", "3"));
        ManagerMXBean m = as("agent", AGENT_PW);
        for (int i = 1; i <= 3; i++) {
            m.register("web-" + i, url("127.0.0.1:" + (9000 + i)), "", "");
        }
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> m.register("web-4", url("127.0.0.1:9004"), "", ""));
        assertTrue(e.getMessage().contains("maximum of 3 registered hosts (registration.maxHosts)"), e.getMessage());
        assertEquals(3, manager.table().size());
        m.register("web-3", url("127.0.0.1:9003"), "", ""); // a known host still renews
    }

    @Test
    void aProbedPortsAnswerIsNotEchoedInTheHostList() throws Exception {
        startManager(Map.of());
        int httpPort = URI.create(manager.httpUrl()).getPort();
        // the manager's own web server: not JMX, it answers with an HTTP error the RMI client reports in detail
        as("agent", AGENT_PW).register("probe", url("127.0.0.1:" + httpPort), "", "");
        Await.until("the probe was polled and failed", () -> manager.views().stream()
                .anyMatch(v -> v.id().equals("probe") && v.lastError() != null));
        HostView probe = manager.views().stream().filter(v -> v.id().equals("probe")).findFirst().orElseThrow();
        assertEquals(AgentPoller.REGISTERED_HOST_UNREACHABLE, probe.lastError());
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(manager.httpUrl()
                + "/api/hosts")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(body.contains(AgentPoller.REGISTERED_HOST_UNREACHABLE), body);
        assertFalse(body.contains("Exception"), body);
    }
}
