package dev.spillway.demo;

import dev.spillway.demo.watch.ParentWatch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * {@link WebServerMain}'s twin on embedded Tomcat 11 (the root pom's {@code tomcat.version}): the same command line,
 * the same sample WAR deployed unchanged through Tomcat's own web.xml parser ({@code Tomcat.addWebapp}, as a
 * distribution's {@code webapps/} deploys it), so the filter is registered by the WAR's {@code WEB-INF/web.xml} and its
 * embedded agent starts from the file {@code -Dspillway.config} names, as on Jetty.
 *
 * <p>One HTTP/1.1 NIO connector on 127.0.0.1 whose worker pool is {@code --threads} ({@code maxThreads}); everything
 * else at Tomcat's defaults, as a user's {@code server.xml} connector would have it: {@code acceptCount} 100 (the
 * kernel's backlog of connections not yet accepted), {@code maxConnections} 8192, {@code minSpareThreads} 10,
 * {@code maxKeepAliveRequests} 100. Requests that find every worker busy wait in the connector's executor queue,
 * which is what the filter's Tomcat probe reads. The default servlet is added (a distribution's {@code conf/web.xml}
 * has it); the JSP servlet is not (no Jasper here, and the sample has no JSP).
 *
 * <p>Prints {@code READY <port>} once the webapp is up (or {@code FAILED <reason>} and exits 1, 2 for a bad argument),
 * and exits when its standard input ends.
 */
public final class TomcatServerMain {
    private TomcatServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.start();
        WebServerMain.Args a = WebServerMain.parse("TomcatServerMain", args);
        if (a == null) {
            return;
        }
        String host = System.getProperty("spillway.host", "web");
        Path base = Files.createTempDirectory("spillway-demo-tomcat-" + host);
        Files.createDirectories(base.resolve("webapps"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector(); // HTTP/1.1, NIO
        connector.setPort(a.port());
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", Integer.toString(a.threads()));
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context webapp = tomcat.addWebapp(a.context(), a.war().toAbsolutePath().toString());
        // Nothing on this launcher's class path is a web fragment or holds TLDs: scanning it only costs start time.
        ((StandardJarScanner) webapp.getJarScanner()).setScanClassPath(false);
        Wrapper def = Tomcat.addServlet(webapp, "default", "org.apache.catalina.servlets.DefaultServlet");
        def.setLoadOnStartup(1);
        webapp.addServletMappingDecoded("/", "default");
        Tomcat.addDefaultMimeTypeMappings(webapp);
        try {
            tomcat.start();
            if (webapp.getState() != LifecycleState.STARTED) {
                throw new IllegalStateException("the webapp " + a.context() + " did not start (state "
                        + webapp.getState() + "; see the log above)");
            }
        } catch (Exception e) {
            WebServerMain.failed(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                // the JVM is going away anyway
            }
        }, "tomcat-stop"));
        System.out.println("READY " + connector.getLocalPort());
        System.out.flush();
        tomcat.getServer().await();
    }
}
