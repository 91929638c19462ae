package dev.spillway.filter.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12 (ee10) with a WebAppContext, the way a Jetty distribution deploys a webapp directory. */
final class JettyContainer implements ServletContainer {
    private Server server;
    private ServerConnector connector;
    private WebAppContext webapp;
    private ContextHandlerCollection contexts;
    private Path webappDir;
    private String failure;

    @Override
    public void start(Path webappDir, String contextPath, int workerThreads, String... moreContexts)
            throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(workerThreads + 4, 2);
        pool.setReservedThreads(0);
        pool.setName("jetty-test");
        server = new Server(pool);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        this.webappDir = webappDir;
        webapp = webapp(webappDir, contextPath);
        contexts = new ContextHandlerCollection(webapp);
        for (String more : moreContexts) {
            contexts.addHandler(webapp(webappDir, more));
        }
        server.setHandler(contexts);
        try {
            server.start();
        } catch (Exception e) {
            failure = describe(e);
        }
    }

    private static WebAppContext webapp(Path dir, String contextPath) throws Exception {
        WebAppContext w = new WebAppContext();
        w.setContextPath(contextPath);
        w.setBaseResourceAsPath(dir);
        w.setParentLoaderPriority(true);
        w.setTempDirectory(Files.createTempDirectory("spillway-jetty").toFile());
        w.setThrowUnavailableOnStartupException(true);
        return w;
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
        // As Jetty's deployer does: a new context replaces the old. (Restarting the same WebAppContext would apply
        // web.xml again on top of the old mappings and map each filter twice.)
        webapp.stop();
        contexts.removeHandler(webapp);
        webapp = webapp(webappDir, webapp.getContextPath());
        contexts.addHandler(webapp);
        webapp.start();
    }

    @Override
    public String startupFailure() {
        return failure;
    }

    @Override
    public void close() throws Exception {
        if (webapp != null) {
            webapp.stop(); // a context added after start may be left running by the collection
        }
        if (server != null) {
            server.stop();
        }
    }
}
