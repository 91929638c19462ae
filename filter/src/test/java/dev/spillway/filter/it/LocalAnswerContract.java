package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Cache hits are served here" (issue 14): a request the webapp's {@code localAnswer} claims is never moved, under a
 * directive or under a permit with a backed-up pool, while an unclaimed one is; a bad class stops start-up.
 */
abstract class LocalAnswerContract {
    private static final String CACHED = HeaderLocalAnswer.HEADER + ": yes";
    private ServletContainer container;

    abstract ServletContainer newContainer();

    @AfterEach
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    private ServletContainer startedWith(Path tmp, String localAnswerClass, int threads) throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "<init-param><param-name>deny</param-name>",
                "<init-param><param-name>redirectCheckInterval</param-name><param-value>0ms</param-value>"
                        + "</init-param><init-param><param-name>localAnswer</param-name><param-value>"
                        + localAnswerClass + "</param-value></init-param><init-param><param-name>deny</param-name>");
        container = newContainer();
        container.start(webapp, FilterInContainerContract.CONTEXT, threads);
        return container;
    }

    private static FilterMXBean filter() {
        return JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                ObjectNames.filter(FilterInContainerContract.CONTEXT), FilterMXBean.class);
    }

    @Test
    void aClaimedRequestIsServedHereUnderADirectiveThatMovesEverythingElse(@TempDir Path tmp) throws Exception {
        ServletContainer c = startedWith(tmp, HeaderLocalAnswer.class.getName(), 8);
        assertNull(c.startupFailure());
        FilterMXBean f = filter();
        f.applyDirective("REDIRECT", new String[] {"b"}, 1.0, 60_000);
        for (int i = 1; i <= 3; i++) {
            RawHttp.Response hit = RawHttp.get(c.port(), "/app/catalog/item", CACHED);
            assertEquals(200, hit.status(), hit.head());
            assertEquals(i, f.getAnsweredLocally(), "each claimed request is counted");
            RawHttp.Response miss = RawHttp.get(c.port(), "/app/catalog/item");
            assertEquals(307, miss.status(), "an unclaimed request moves: " + miss.head());
        }
        assertEquals(3, f.getOffloaded());
        assertEquals(3, f.getChosen(), "a claimed request is not chosen");
    }

    @Test
    void aClaimedRequestStaysHereUnderAPermitWithABackedUpPool(@TempDir Path tmp) throws Exception {
        ServletContainer c = startedWith(tmp, HeaderLocalAnswer.class.getName(), 4);
        assertNull(c.startupFailure());
        int port = c.port();
        FilterMXBean f = filter();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            assertEquals(200, RawHttp.get(port, "/app/catalog/item").status()); // Tomcat's pool is found by a request
            int workers = f.getMaxWorkers();
            List<Future<RawHttp.Response>> slow = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                slow.add(pool.submit(() -> RawHttp.get(port, "/app/slow?ms=1500")));
            }
            Await.until("the workers busy", () -> f.getInFlight() >= workers - 1);
            f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {1000}, 60_000);
            List<Future<RawHttp.Response>> hits = new ArrayList<>();
            List<Future<RawHttp.Response>> misses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                hits.add(pool.submit(() -> RawHttp.get(port, "/app/slow?ms=50", CACHED)));
                misses.add(pool.submit(() -> RawHttp.get(port, "/app/catalog/item")));
            }
            for (Future<RawHttp.Response> h : hits) {
                assertEquals(200, h.get().status(), "a claimed request is never moved: " + h.get().head());
            }
            long moved = 0;
            for (Future<RawHttp.Response> m : misses) {
                moved += m.get().status() == 307 ? 1 : 0;
            }
            for (Future<RawHttp.Response> s : slow) {
                moved += s.get().status() == 307 ? 1 : 0; // one may not have reached a worker before the permit
            }
            assertTrue(moved >= 1, "unclaimed requests that waited behind others spilled");
            assertEquals(moved, f.getSpilled(), "only unclaimed requests spent the budget");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClassThatDoesNotExistFailsStartupNamingKeyAndClass(@TempDir Path tmp) throws Exception {
        String failure = startedWith(tmp, "com.example.NoSuchCache", 8).startupFailure();
        assertNotNull(failure, "the webapp must not start");
        assertTrue(failure.contains("localAnswer") && failure.contains("com.example.NoSuchCache")
                && failure.contains("class not found"), failure);
    }

    @Test
    void aClassOfTheWrongTypeFailsStartupNamingTheInterface(@TempDir Path tmp) throws Exception {
        String failure = startedWith(tmp, PageServlet.class.getName(), 8).startupFailure();
        assertNotNull(failure, "the webapp must not start");
        assertTrue(failure.contains("localAnswer") && failure.contains(PageServlet.class.getName())
                && failure.contains("dev.spillway.filter.spi.LocalAnswer"), failure);
    }
}
