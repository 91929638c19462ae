package dev.spillway.filter.probe;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real embedded Jetty 12 ee10 with a 10-thread pool, 2 of them leased to the acceptor and the selector. */
class JettyLoadProbeTest {
    private static final int MAX_THREADS = 10;
    private static final int WORKERS = MAX_THREADS - 2;
    private Server server;

    private int start(String trusted) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 2);
        pool.setReservedThreads(0); // no reserved threads: every request job goes through the queue
        server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        FilterHolder filter = context.addFilter(ProbingFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
        if (trusted != null) {
            filter.setInitParameter("trusted", trusted);
        }
        context.addServlet(SleepingServlet.class, "/slow");
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void threadPoolAndRequestTimestampFollowLoad() throws Exception {
        LoadDriver driver = new LoadDriver(start(null));
        LoadDriver.Observed o = ContainerProbeChecks.saturateAndRecover(driver, WORKERS, false, JettyThreadPoolQueueLength.NAME,
                JettyThreadPoolQueueLength.NAME + "-wait+" + JettyRequestTimestamp.NAME);
        ContainerProbeChecks.canaryShowsWaitForWorkers(o);
    }

    @Test
    void trustedRequestStartHeaderShowsWaitForWorkers() throws Exception {
        LoadDriver driver = new LoadDriver(start("127.0.0.1"));
        LoadDriver.Observed o = ContainerProbeChecks.saturateAndRecover(driver, WORKERS, true,
                JettyThreadPoolQueueLength.NAME, JettyThreadPoolQueueLength.NAME + "-wait+" + XRequestStartHeader.NAME);
        ContainerProbeChecks.headerShowsWaitForWorkers(o);
    }
}
