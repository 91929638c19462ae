package dev.spillway.filter.it;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.JMX;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Throwaway experiment (not committed): proxied vs redirected latency from a congested Jetty pool. */
class ProxyQueueExperimentTest {
    @TempDir
    Path tmp;

    @Test
    void measure() throws Exception {
        Path wa = FilterInContainerContract.copyWebappWith(tmp.resolve("wa"), "classpath:spillway-test.properties",
                tmp.resolve("a.properties").toString());
        Path wb = FilterInContainerContract.copyWebappWith(tmp.resolve("wb"), "classpath:spillway-test.properties",
                tmp.resolve("b.properties").toString());
        Files.writeString(tmp.resolve("a.properties"), "self=a\npeers=b=http://127.0.0.1:9/b\nhopSecret=xxxxxxxxxxxxxxxxxxxxxxxx\n");
        Files.writeString(tmp.resolve("b.properties"), "self=b\npeers=a=http://127.0.0.1:9/a\nhopSecret=xxxxxxxxxxxxxxxxxxxxxxxx\n");
        JettyContainer jetty = new JettyContainer();
        jetty.start(wa, "/a", 8, "/c");
        JettyContainer peer = new JettyContainer();
        peer.start(wb, "/b", 32);
        Files.writeString(tmp.resolve("a.properties"), "self=a\npeers=b=http://127.0.0.1:" + peer.port()
                + "/b\nhopSecret=xxxxxxxxxxxxxxxxxxxxxxxx\n");
        jetty.redeploy();
        FilterMXBean a = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), ObjectNames.filter("/a"),
                FilterMXBean.class);
        AtomicBoolean run = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(20);
        for (int i = 0; i < 20; i++) {
            load.submit(() -> {
                while (run.get()) {
                    RawHttp.get(jetty.port(), "/c/slow?ms=200");
                }
                return null;
            });
        }
        Thread.sleep(2000);
        for (String mode : new String[] {"REDIRECT", "PROXY", "REDIRECT", "PROXY"}) {
            a.applyDirective(mode, new String[] {"b"}, 1.0, 600_000);
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                long t0 = System.nanoTime();
                RawHttp.Response r = RawHttp.get(jetty.port(), "/a/catalog/" + i);
                ms.add((System.nanoTime() - t0) / 1_000_000);
                if (i == 0) {
                    System.err.println("EXP " + mode + " status " + r.status());
                }
            }
            Collections.sort(ms);
            System.err.println("EXP " + mode + " waiting=" + a.getWaitingRequests() + " ms sorted " + ms);
        }
        run.set(false);
        load.shutdownNow();
        jetty.close();
        peer.close();
    }
}
