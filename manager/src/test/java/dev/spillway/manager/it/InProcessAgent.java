package dev.spillway.manager.it;

import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;

/** A scripted agent on a real RMI connector inside the test JVM (cheaper than a child JVM where that is enough). */
final class InProcessAgent implements AutoCloseable {
    final String id;
    final String url;
    final Path figures;
    final ScriptedAgentMain.Agent agent;
    private final SecureJmxServer endpoint;

    private InProcessAgent(String id, String url, Path figures, ScriptedAgentMain.Agent agent,
                           SecureJmxServer endpoint) {
        this.id = id;
        this.agent = agent;
        this.url = url;
        this.figures = figures;
        this.endpoint = endpoint;
    }

    /** On any free port (the connector's own pick, which retries if another process takes it first). */
    static InProcessAgent start(Path dir, String id, String figures) throws Exception {
        return start(dir, id, figures, 0);
    }

    /** On a port chosen beforehand (a host the manager already polls, started later). */
    static InProcessAgent start(Path dir, String id, String figures, int port) throws Exception {
        Path fig = dir.resolve(id + ".properties");
        Files.writeString(fig, figures);
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        SecureJmxServer server = SecureJmxServer.start(JmxServerSettings.loopback(port), mbs);
        String url = server.serviceUrl().toString();
        ScriptedAgentMain.Agent agent = new ScriptedAgentMain.Agent(id, url, fig, dir.resolve(id + ".directives"));
        mbs.registerMBean(agent, ObjectNames.agent());
        return new InProcessAgent(id, url, fig, agent, server);
    }

    void setFigures(String text) throws Exception {
        Path tmp = figures.resolveSibling(id + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, figures, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
