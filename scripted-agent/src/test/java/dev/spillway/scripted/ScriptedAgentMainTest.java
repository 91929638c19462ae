package dev.spillway.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxClients;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.agent.testing.FakeManager;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted agent in a child JVM (the agent's own main, with a load script), read and steered over JMX,
 * registering with a manager that starts late.
 */
class ScriptedAgentMainTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private Process child;
    private SecureJmxServer managerServer;
    private final List<String> childOutput = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (managerServer != null) {
            managerServer.close();
        }
        if (child != null) {
            child.destroy();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts ScriptedAgentMain from the test class path and returns the JMX URL it prints. */
    private String startChild(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), ScriptedAgentMain.class.getName()));
        cmd.addAll(List.of(args));
        child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    childOutput.add(line);
                    if (line.startsWith("spillway-agent started ")) {
                        url.complete(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
                url.completeExceptionally(new AssertionError("agent exited: " + childOutput));
            } catch (Exception e) {
                url.completeExceptionally(e);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return url.get(30, TimeUnit.SECONDS);
    }

    private Path secretFile(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    @Test
    void scriptedAgentIsReadSteeredAndRegistersWithALateManager() throws Exception {
        Path script = dir.resolve("load.script");
        Files.writeString(script, "0s queueLength=42 queueDelayMillis=310 systemCpu=0.9 healthUp=false\n");
        Path pw = secretFile("jmx.password", "viewer viewpw\nmanager mgrpw\n");
        Path access = dir.resolve("jmx.access");
        Files.writeString(access, "viewer readonly\nmanager control\n");
        int agentPort = Ports.free();
        int managerPort = Ports.free();
        String managerUrl = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + managerPort + "/jmxrmi";

        String url = startChild("--id", "host-a", "--zone", "z1", "--web-base-url", "http://127.0.0.1:8081/",
                "--port", String.valueOf(agentPort), "--interval", "200ms", "--script", script.toString(),
                "--jmx.password.file", pw.toString(), "--jmx.access.file", access.toString(),
                "--manager", managerUrl, "--manager.register-interval", "1s");
        assertEquals("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + agentPort + "/jmxrmi", url);

        try (JMXConnector viewer = JmxClients.connect(url, "viewer", "viewpw", false, TIMEOUT);
             JMXConnector control = JmxClients.connect(url, "manager", "mgrpw", false, TIMEOUT)) {
            AgentMXBean asViewer = JMX.newMXBeanProxy(viewer.getMBeanServerConnection(), ObjectNames.agent(),
                    AgentMXBean.class);
            AgentMXBean asControl = JMX.newMXBeanProxy(control.getMBeanServerConnection(), ObjectNames.agent(),
                    AgentMXBean.class);

            // the first sample is taken on the agent's own thread, just after it says it started
            Await.until("the first sample", () -> asViewer.getSamples() > 0);
            HostLoad load = asViewer.getHostLoad();
            assertEquals("host-a", load.getHostId());
            assertEquals("z1", load.getZone());
            assertEquals(42, load.getQueueLength());
            assertEquals(310, load.getQueueDelayMillis());
            assertEquals(0.9, load.getSystemCpu());
            assertTrue(!load.isHealthUp());
            assertTrue(load.getHeapUsedBytes() > 0, "unscripted figures are measured: heap " + load.getHeapUsedBytes());

            // the manager is not there yet: the agent keeps serving and says it is retrying
            assertTrue(asViewer.getManagerStatus().startsWith("retrying: "), asViewer.getManagerStatus());

            SecurityException readonly = assertThrows(SecurityException.class,
                    () -> asViewer.applyDirective("REDIRECT", new String[] {"host-b"}, 0.5, 60_000));
            assertTrue(readonly.getMessage().contains("control"), readonly.getMessage());

            // A lease far longer than any stall, so the directive is surely seen; then the same directive on a short
            // lease, which must end by itself.
            asControl.applyDirective("REDIRECT", new String[] {"host-b"}, 0.5, 600_000);
            Await.until("the scripted filter took the directive",
                    () -> "REDIRECT".equals(asViewer.getHostLoad().getDirectiveMode()));
            asControl.applyDirective("REDIRECT", new String[] {"host-b"}, 0.5, 1_500);
            Await.until("the scripted filter dropped it when the lease ran out",
                    () -> "LOCAL".equals(asViewer.getHostLoad().getDirectiveMode()));

            // now the manager starts, late
            FakeManager manager = new FakeManager();
            MBeanServer managerMbs = MBeanServerFactory.newMBeanServer();
            managerMbs.registerMBean(manager, ObjectNames.manager());
            managerServer = SecureJmxServer.start(JmxServerSettings.loopback(managerPort), managerMbs);
            assertTrue(Await.eventually(Await.PATIENCE_MILLIS, () -> manager.registrations.size() >= 2),
                    "registered and re-announced: " + manager.registrations + " / " + childOutput);
            assertEquals("host-a " + url + " z1 http://127.0.0.1:8081/", manager.registrations.get(0));
            assertEquals("registered", asViewer.getManagerStatus());
        }
    }

    @Test
    void aMissingOrBadScriptStopsStartWithTheOptionAndLineNamed() throws Exception {
        String missing = runToExit(2);
        assertTrue(missing.contains("--script is missing") && missing.contains("load script file"), missing);

        Path bad = dir.resolve("bad.script");
        Files.writeString(bad, "0s queueLength=1\n5s systemCpu=1.5\n");
        String out = runToExit(2, "--script", bad.toString());
        assertTrue(out.contains("line 2") && out.contains("systemCpu=1.5") && out.contains("fraction"), out);
    }

    private String runToExit(int expectedStatus, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ScriptedAgentMain.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running: " + out);
        assertEquals(expectedStatus, p.exitValue(), out);
        return out;
    }
}
