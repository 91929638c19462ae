package dev.spillway.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.agent.contract.HostLoad;
import dev.spillway.testkit.Await;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions on a real embedded Jetty 12 with its JMX on (MBeanContainer): the agent counts the sessions in Jetty's
 * session caches, and since Jetty reports no session limit, the capacity is the agent's {@code sessions.capacity}
 * when set and unknown otherwise.
 */
class JettySessionsTest {
    private final MBeanServer mbs = MBeanServerFactory.newMBeanServer();
    private Server jetty;
    private String url;

    @BeforeEach
    void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.addBean(new MBeanContainer(mbs));
        ServletContextHandler app = new ServletContextHandler(ServletContextHandler.SESSIONS);
        app.setContextPath("/");
        app.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                req.getSession(true);
                resp.getWriter().print("ok");
            }
        }), "/login");
        jetty.setHandler(app);
        jetty.start();
        url = "http://127.0.0.1:" + connector.getLocalPort() + "/login";
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    private HostSampler sampler(long configuredCapacity) {
        return new HostSampler("h", "", "", null, new HostCgroups(new CgroupLocator()),
                List.of(new JvmReader(new LocalJvm(mbs))), null, null, System::currentTimeMillis, configuredCapacity);
    }

    @Test
    void jettySessionsAreCountedAndTheConfiguredCapacityIsReported() throws Exception {
        HttpClient http = HttpClient.newHttpClient(); // no cookie store: every request starts a new session
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        HostSampler configured = sampler(100);
        Await.until("three Jetty sessions counted", () -> configured.sample().getActiveSessions() == 3);
        HostLoad l = configured.sample();
        assertEquals(100, l.getSessionCapacity());
        HostLoad unset = sampler(-1).sample();
        assertEquals(3, unset.getActiveSessions());
        assertEquals(-1, unset.getSessionCapacity(), "Jetty has no limit: unknown without sessions.capacity");
    }
}
