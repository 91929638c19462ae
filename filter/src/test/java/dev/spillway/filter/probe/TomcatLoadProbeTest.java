package dev.spillway.filter.probe;

import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.toolchain.test.jupiter.WorkDir;
import org.eclipse.jetty.toolchain.test.jupiter.WorkDirExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real embedded Tomcat 11 with maxThreads 3 on its NIO connector. */
@ExtendWith(WorkDirExtension.class)
class TomcatLoadProbeTest {
    private static final int WORKERS = 3;
    private Tomcat tomcat;

    private int start(Path base, String trusted) throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", String.valueOf(WORKERS));
        connector.setProperty("minSpareThreads", "1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("/app", base.toString());
        FilterDef def = new FilterDef();
        def.setFilterName("probe");
        def.setFilterClass(ProbingFilter.class.getName());
        if (trusted != null) {
            def.addInitParameter("trusted", trusted);
        }
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("probe");
        map.addURLPattern("/*");
        context.addFilterMap(map);
        Tomcat.addServlet(context, "slow", new SleepingServlet());
        context.addServletMappingDecoded("/slow", "slow");
        tomcat.start();
        return connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void executorAndStartTimeFollowLoad(WorkDir work) throws Exception {
        LoadDriver driver = new LoadDriver(start(work.getEmptyPathDir(), null));
        LoadDriver.Observed o = ContainerProbeChecks.saturateAndRecover(driver, WORKERS, false, TomcatExecutorQueueLength.NAME,
                TomcatExecutorQueueLength.NAME + "-wait+" + TomcatStartTime.NAME);
        ContainerProbeChecks.canaryShowsWaitForWorkers(o);
    }

    @Test
    void trustedRequestStartHeaderShowsWaitForWorkers(WorkDir work) throws Exception {
        LoadDriver driver = new LoadDriver(start(work.getEmptyPathDir(), "127.0.0.1"));
        LoadDriver.Observed o = ContainerProbeChecks.saturateAndRecover(driver, WORKERS, true,
                TomcatExecutorQueueLength.NAME, TomcatExecutorQueueLength.NAME + "-wait+" + XRequestStartHeader.NAME);
        ContainerProbeChecks.headerShowsWaitForWorkers(o);
    }
}
