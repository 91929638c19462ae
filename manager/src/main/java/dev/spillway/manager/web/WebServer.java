package dev.spillway.manager.web;

import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12 (core handlers, no servlet container) serving the dashboard, API and metrics. */
public final class WebServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private WebServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    public static WebServer start(ManagerConfig config, Manager manager) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("spillway-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(config.httpHost());
        connector.setPort(config.httpPort());
        server.addConnector(connector);
        server.setHandler(new ApiHandler(manager, config.token()));
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new WebServer(server, connector);
    }

    public String url() {
        String host = connector.getHost().contains(":") ? "[" + connector.getHost() + "]" : connector.getHost();
        return "http://" + host + ":" + connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }
}
