package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The valve's CPU signal in a real container on a real kernel: a server whose CPU cgroup is throttled spills under a
 * permit although its worker pool has free workers; the same load without a quota spills nothing. The clients use
 * fewer connections than the pool has workers, so the pool's own valve (requests waiting for a worker) cannot be
 * what moves a request here.
 */
abstract class CpuValveContract {
    private static final int WORKERS = 8;
    private static final int CLIENTS = 3;
    private ServletContainer container;

    abstract ServletContainer newContainer();

    @AfterEach
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    private int startedUnderPermit(Path tmp) throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "<init-param><param-name>deny</param-name>",
                "<init-param><param-name>redirectCheckInterval</param-name><param-value>0ms</param-value></init-param>"
                        + "<init-param><param-name>deny</param-name>");
        container = newContainer();
        container.start(webapp, FilterInContainerContract.CONTEXT, WORKERS);
        assertNull(container.startupFailure());
        filter().applyPermit("REDIRECT", new String[] {"b"}, new double[] {1000}, 600_000);
        return container.port();
    }

    private static FilterMXBean filter() {
        return JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                ObjectNames.filter(FilterInContainerContract.CONTEXT), FilterMXBean.class);
    }

    /** Pages from {@link #CLIENTS} connections at once until {@code done} says stop; counts answers by status. */
    private static final class Clients implements AutoCloseable {
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger moved = new AtomicInteger();
        final AtomicInteger other = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);

        Clients(int port) {
            for (int i = 0; i < CLIENTS; i++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        int status = RawHttp.get(port, "/app/catalog/item").status();
                        (status == 200 ? ok : status == 307 ? moved : other).incrementAndGet();
                    }
                    return null;
                });
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the clients finished");
        }
    }

    @Test
    void aCpuThrottledServerUnderAPermitSpillsSomeRequestsAndServesTheRest(@TempDir Path tmp) throws Exception {
        String unavailable = CpuQuotaGroup.reasonUnavailable();
        assumeTrue(unavailable == null, unavailable);
        try (CpuQuotaGroup group = CpuQuotaGroup.thisJvm()) {
            int port = startedUnderPermit(tmp); // the filter finds its cgroup at start
            group.capTo(0.05); // this JVM, server and clients, now gets 5 ms of CPU per 100 ms: throttled
            FilterMXBean f = filter();
            try (Clients clients = new Clients(port)) {
                FilterInContainerContract.awaitTrue("a request spilled by the CPU signal",
                        () -> clients.moved.get() > 0);
                FilterInContainerContract.awaitTrue("requests also served here", () -> clients.ok.get() > 0);
            }
            assertTrue(f.getSpilled() > 0, "counted as spilled under the permit: " + f.getSpilled());
        }
    }

    @Test
    void theSameLoadWithoutAQuotaSpillsNothing(@TempDir Path tmp) throws Exception {
        int port = startedUnderPermit(tmp);
        FilterMXBean f = filter();
        try (Clients clients = new Clients(port)) {
            FilterInContainerContract.awaitTrue("300 pages served", () -> clients.ok.get() >= 300);
            assertEquals(0, clients.moved.get(), "no page moved: neither the pool nor the CPU is saturated");
        }
        assertEquals(0, f.getSpilled());
        assertEquals(0, f.getOffloaded());
    }
}
