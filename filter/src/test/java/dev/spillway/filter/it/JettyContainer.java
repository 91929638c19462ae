package dev.spillway.filter.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12 (ee10) with a WebAppContext, the way a Jetty distribution deploys a webapp directory. */
final class JettyContainer implements ServletContainer {
    private Server server;
    private ServerConnector connector;
    private WebAppContext webapp;
    private String failure;

    @Override
    public void start(Path webappDir, String contextPath, int workerThreads) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(workerThreads + 4, 2);
        pool.setReservedThreads(0);
        pool.setName("jetty-test");
        server = new Server(pool);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        webapp = new WebAppContext();
        webapp.setContextPath(contextPath);
        webapp.setBaseResourceAsPath(webappDir);
        webapp.setParentLoaderPriority(true);
        webapp.setTempDirectory(Files.createTempDirectory("spillway-jetty").toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        try {
            server.start();
        } catch (Exception e) {
            failure = describe(e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void redeploy() throws Exception {
        webapp.stop();
        webapp.start();
    }

    @Override
    public String startupFailure() {
        return failure;
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
