package dev.spillway.filter.forward;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Real embedded servers on port 0: the servlet mapped to "/*" without async support (as most user servlets are),
 * the filter in front of it mapped for REQUEST and ASYNC and async-supported, as the product's web.xml will say.
 */
final class TestServers {
    enum Container { JETTY, TOMCAT }

    interface Running extends AutoCloseable {
        int port();

        default String url() {
            return "http://127.0.0.1:" + port();
        }

        @Override
        void close() throws Exception;
    }

    private TestServers() {
    }

    static Running start(Container container, Servlet servlet, Filter filter) throws Exception {
        return container == Container.JETTY ? jetty(servlet, filter) : tomcat(servlet, filter);
    }

    private static Running jetty(Servlet servlet, Filter filter) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/");
        ServletHolder sh = new ServletHolder(servlet);
        sh.setAsyncSupported(false);
        ctx.addServlet(sh, "/*");
        if (filter != null) {
            FilterHolder fh = new FilterHolder(filter);
            fh.setAsyncSupported(true);
            ctx.addFilter(fh, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        }
        server.setHandler(ctx);
        server.start();
        int port = connector.getLocalPort();
        return new Running() {
            @Override public int port() { return port; }
            @Override public void close() throws Exception { server.stop(); }
        };
    }

    private static Running tomcat(Servlet servlet, Filter filter) throws Exception {
        Path base = Files.createTempDirectory("spillway-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        File docBase = Files.createDirectories(base.resolve("docs")).toFile();
        Context ctx = tomcat.addContext("", docBase.getAbsolutePath());
        Wrapper w = Tomcat.addServlet(ctx, "origin", servlet);
        w.setAsyncSupported(false);
        ctx.addServletMappingDecoded("/*", "origin");
        if (filter != null) {
            FilterDef fd = new FilterDef();
            fd.setFilterName("spillway");
            fd.setFilter(filter);
            fd.setAsyncSupported("true");
            ctx.addFilterDef(fd);
            FilterMap fm = new FilterMap();
            fm.setFilterName("spillway");
            fm.addURLPattern("/*");
            fm.setDispatcher(DispatcherType.REQUEST.name());
            fm.setDispatcher(DispatcherType.ASYNC.name());
            ctx.addFilterMap(fm);
        }
        tomcat.start();
        int port = connector.getLocalPort();
        return new Running() {
            @Override public int port() { return port; }
            @Override public void close() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }
}
