package dev.spillway.filter.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/** Embedded Tomcat 11 deploying a webapp directory through its real web.xml parser (ContextConfig). */
final class TomcatContainer implements ServletContainer {
    private Tomcat tomcat;
    private Connector connector;
    private Context context;
    private final StringBuilder failures = new StringBuilder();
    private final Handler failureLog = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getThrown() != null) {
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    failures.append(t).append('\n');
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public void start(Path webappDir, String contextPath, int workerThreads, String... moreContexts)
            throws Exception {
        Logger.getLogger("org.apache.catalina.core").addHandler(failureLog);
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("spillway-tomcat").toString());
        connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", Integer.toString(workerThreads));
        connector.setProperty("minSpareThreads", "1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        tomcat.setAddDefaultWebXmlToWebapp(false);
        context = webapp(contextPath, webappDir);
        for (String more : moreContexts) {
            webapp(more, webappDir);
        }
        tomcat.start();
    }

    private Context webapp(String contextPath, Path dir) {
        Context c = tomcat.addWebapp(contextPath, dir.toAbsolutePath().toString());
        // The test class path holds no TLDs or web fragments; scanning it only costs time.
        ((StandardJarScanner) c.getJarScanner()).setScanClassPath(false);
        return c;
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void redeploy() {
        context.reload();
    }

    @Override
    public String startupFailure() {
        return context.getState() == LifecycleState.STARTED ? null : "state " + context.getState() + "\n" + failures;
    }

    @Override
    public void close() throws Exception {
        Logger.getLogger("org.apache.catalina.core").removeHandler(failureLog);
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
            tomcat = null;
        }
    }
}
