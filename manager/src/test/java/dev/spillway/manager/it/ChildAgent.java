package dev.spillway.manager.it;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A {@link ScriptedAgentMain} in a child JVM, started with this JVM's java and test class path. */
final class ChildAgent implements AutoCloseable {
    final String id;
    final String url;
    final Path figures;
    final Path directives;
    private final Process process;

    private ChildAgent(String id, String url, Path figures, Path directives, Process process) {
        this.id = id;
        this.url = url;
        this.figures = figures;
        this.directives = directives;
        this.process = process;
    }

    static ChildAgent start(Path dir, String id, String figures, String managerUrl) throws Exception {
        Path fig = dir.resolve(id + ".properties");
        Files.writeString(fig, figures);
        Path dirs = dir.resolve(id + ".directives");
        Files.writeString(dirs, "");
        int port = Ports.free();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ScriptedAgentMain.class.getName(), id, String.valueOf(port), fig.toString(), dirs.toString()));
        if (managerUrl != null) {
            cmd.add(managerUrl);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            System.out.println("[" + id + "] " + line);
        }
        if (line == null) {
            throw new IllegalStateException("agent " + id + " exited before READY: " + p.waitFor());
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe empty so the child never blocks on output
                }
            } catch (IOException ignored) {
                // child gone
            }
        }, "drain-" + id);
        drain.setDaemon(true);
        drain.start();
        return new ChildAgent(id, line.substring(6), fig, dirs, p);
    }

    void setFigures(String text) throws IOException {
        Path tmp = figures.resolveSibling(id + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, figures, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Directive calls received so far: "millis APPLY mode targets fraction lease" or "millis CLEAR". */
    List<String> directiveLines() {
        try {
            return Files.readAllLines(directives);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long applyCount() {
        return directiveLines().stream().filter(l -> l.contains(" APPLY ") || l.contains(" PERMIT ")).count();
    }

    /** Reads the agent's own report over JMX, as a filter-side observer would. */
    HostLoad readLoad() throws IOException {
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
            return JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.agent(), AgentMXBean.class).getHostLoad();
        }
    }

    void signal(String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() throws Exception {
        signal("CONT");
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
