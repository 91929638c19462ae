package dev.spillway.agent.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.embedded.testapp.JoiningListener;
import dev.spillway.agent.jmx.JmxClients;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnector;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webapps in a real embedded Jetty, each with its own class loader holding its own copy of the agent classes (as the
 * filter JAR in WEB-INF/lib would), share one agent; undeploying the owner hands the agent over; undeploying the
 * last leaves no thread, port or MBean behind.
 */
class EmbeddedAgentRedeployTest {
    private static final MBeanServer PLATFORM = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dir;
    private Server jetty;
    private ContextHandlerCollection contexts;
    private int port;
    private String url;

    @BeforeEach
    void start() throws Exception {
        assertFalse(PLATFORM.isRegistered(ObjectNames.agent()), "an agent from an earlier test is still here");
        jetty = new Server();
        contexts = new ContextHandlerCollection();
        jetty.setHandler(contexts);
        jetty.start();
        port = Ports.free();
        url = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
    }

    @AfterEach
    void stop() throws Exception {
        for (Handler h : contexts.getHandlers()) {
            h.stop();
        }
        jetty.stop();
    }

    private WebAppContext deploy(String contextPath) throws Exception {
        Path webapp = dir.resolve(contextPath.substring(1) + "-" + System.nanoTime());
        Path classes = webapp.resolve("WEB-INF/classes");
        copyTree(codeLocation(EmbeddedAgent.class), classes);
        Path testClasses = codeLocation(JoiningListener.class);
        // the listener and the FakeFilter it registers: the webapp's own copies, like the real filter's
        for (String pkg : List.of("dev/spillway/agent/embedded/testapp", "dev/spillway/agent/testing")) {
            copyTree(testClasses.resolve(pkg), classes.resolve(pkg));
        }
        Files.writeString(webapp.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <context-param><param-name>spillway.agent.jmx.port</param-name><param-value>%d</param-value></context-param>
                  <context-param><param-name>spillway.agent.host.id</param-name><param-value>embedded-test</param-value></context-param>
                  <context-param><param-name>spillway.agent.sample.interval</param-name><param-value>100ms</param-value></context-param>
                  <listener><listener-class>dev.spillway.agent.embedded.testapp.JoiningListener</listener-class></listener>
                </web-app>
                """.formatted(port));
        WebAppContext ctx = new WebAppContext();
        ctx.setContextPath(contextPath);
        ctx.setWar(webapp.toString());
        ctx.setParentLoaderPriority(false);
        contexts.addHandler(ctx);
        ctx.start();
        assertTrue(ctx.isAvailable(), contextPath + " did not start: " + ctx.getUnavailableException());
        assertNotEquals(EmbeddedAgent.class, ctx.getClassLoader().loadClass(EmbeddedAgent.class.getName()),
                "the webapp must have its own copy of the agent classes");
        return ctx;
    }

    private void undeploy(WebAppContext ctx) throws Exception {
        ctx.stop();
        contexts.removeHandler(ctx);
    }

    private static boolean runsTheAgent(WebAppContext ctx) throws Exception {
        Object membership = ctx.getServletContext().getAttribute(JoiningListener.MEMBERSHIP);
        Class<?> agentClass = ctx.getClassLoader().loadClass(EmbeddedAgent.class.getName());
        return (Boolean) agentClass.getMethod("runsTheAgent", AutoCloseable.class).invoke(null, membership);
    }

    private static boolean owns(WebAppContext ctx) {
        try {
            return runsTheAgent(ctx);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int watchedFiltersOverJmx() {
        try (JMXConnector c = JmxClients.connect(url, null, null, false, Duration.ofSeconds(5))) {
            return JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.agent(), AgentMXBean.class)
                    .getHostLoad().getFilters();
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<Thread> threadsOf(ClassLoader loader) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getContextClassLoader() == loader).toList();
    }

    private static List<String> agentThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("spillway-agent-")).toList();
    }

    @Test
    void oneAgentPerJvmHandedOverOnUndeployAndGoneWithTheLastWebapp() throws Exception {
        WebAppContext a = deploy("/a");
        WebAppContext b = deploy("/b");
        assertTrue(runsTheAgent(a), "the first webapp starts the agent");
        assertFalse(runsTheAgent(b), "the second joins it");
        Await.until("the agent reads both filters", () -> watchedFiltersOverJmx() == 2);
        ClassLoader aLoader = a.getClassLoader();
        assertFalse(threadsOf(aLoader).isEmpty(), "sanity: the owner's agent threads use its loader");

        undeploy(a);
        Await.until("the remaining webapp took over", () -> owns(b));
        Await.until("same port, one filter left", () -> watchedFiltersOverJmx() == 1);
        assertEquals(List.of(), threadsOf(aLoader).stream().map(Thread::getName).toList(),
                "no thread may keep the undeployed webapp's class loader");

        WebAppContext a2 = deploy("/a");
        assertFalse(runsTheAgent(a2));
        Await.until("the agent reads both filters again", () -> watchedFiltersOverJmx() == 2);

        ClassLoader bLoader = b.getClassLoader();
        undeploy(b);
        Await.until("the redeployed webapp took over", () -> owns(a2));
        Await.until("one filter left again", () -> watchedFiltersOverJmx() == 1);
        assertEquals(List.of(), threadsOf(bLoader).stream().map(Thread::getName).toList());

        undeploy(a2);
        assertEquals(Set.of(), PLATFORM.queryNames(ObjectNames.of(ObjectNames.DOMAIN + ":*"), null),
                "no Spillway MBean is left");
        // JDK 25's RMI closes an unexported listener a moment later, on its accept thread; wait for it, bounded
        Await.until("the JMX port is free", () -> !Ports.listening(port));
        assertTrue(Await.eventually(Await.PATIENCE_MILLIS, () -> agentThreads().isEmpty()),
                "agent threads left: " + agentThreads());
    }

    private static Path codeLocation(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!from.relativize(p).toString().contains("testing/")
                        && !p.getFileName().toString().endsWith("Test.class")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
