package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admissionGate=on} in a real container with a small pool (Tomcat: 3 workers; Jetty: the 3 plus the test
 * container's spare threads, 5 workers once the selector and acceptor leased theirs): the gate lets the pool's maximum
 * less one pages run, so the next arrival finds a worker, reaches the filter at once and is held there (not in the
 * container's queue) until a page ends, or, under a permit with budget, is moved at arrival. Both fail with the gate
 * off (the extra request runs on the free worker; nothing waits in the filter).
 */
abstract class AdmissionGateContract {
    private static final int WORKERS = 3;

    abstract ServletContainer newContainer();

    @TempDir
    Path tmp;
    private ServletContainer container;
    private final ExecutorService clients = Executors.newCachedThreadPool();
    /** Keys unique to this test, as HoldServlet's latches are static. */
    private final String run = UUID.randomUUID() + "-";

    @AfterEach
    void stop() throws Exception {
        HoldServlet.releaseAll();
        clients.shutdownNow();
        if (container != null) {
            container.close();
        }
    }

    @Test
    void aRequestThatFindsEverySlotTakenIsHeldInTheFilterAndServedWhenAPageEnds() throws Exception {
        FilterMXBean f = start();
        int slots = f.getMaxWorkers() - 1;
        // Twice: the second round finds every slot given back exactly once (one leaked or freed twice shows there).
        for (int round = 0; round < 2; round++) {
            String r = run + round + "-";
            List<Future<RawHttp.Response>> pages = fill(r, slots);
            Future<RawHttp.Response> extra = hold(r + "extra");
            Await.until("the extra request reached the filter and waits there", () -> f.getInFlight() == slots + 1
                    && f.getWaitingRequests() >= 1);
            assertEquals(slots, HoldServlet.startedWith(r), "only the gate's slots run pages");
            assertTrue(f.getBusyWorkers() < f.getMaxWorkers(), "a worker stays free for the next arrival: busy "
                    + f.getBusyWorkers() + " of " + f.getMaxWorkers());

            HoldServlet.release(r + 0);
            Await.until("the held request runs once a page ended", () -> HoldServlet.started(r + "extra"));
            HoldServlet.release(r + "extra");
            for (int i = 1; i < slots; i++) {
                HoldServlet.release(r + i);
            }
            pages.add(extra);
            for (Future<RawHttp.Response> page : pages) {
                RawHttp.Response resp = page.get();
                assertEquals(200, resp.status(), resp.head());
                assertTrue(resp.body().startsWith("held " + r), resp.body());
            }
            Await.until("every request's bookkeeping ended", () -> f.getInFlight() == 0);
        }
        assertEquals(0, f.getErrors());
    }

    @Test
    void underAPermitWithBudgetAnArrivalThatFindsEverySlotTakenIsMovedAtOnce() throws Exception {
        FilterMXBean f = start();
        f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {100}, 600_000);
        int slots = f.getMaxWorkers() - 1;
        List<Future<RawHttp.Response>> pages = fill(run, slots);
        // At the default spillWaiting=2 one request is kept waiting, as the pool's queue kept one: the next is moved.
        pages.add(hold(run + "waits"));
        Await.until("one request waits in the filter", () -> f.getWaitingRequests() >= 1);
        long spilled = f.getSpilled();

        RawHttp.Response moved = RawHttp.get(container.port(), "/app/catalog/1");

        assertEquals(307, moved.status(), moved.head());
        assertTrue(moved.header("Location").startsWith("http://127.0.0.1:9/app/catalog/1"), moved.head());
        assertEquals(spilled + 1, f.getSpilled());
        assertEquals(slots, HoldServlet.startedWith(run), "moved while every slot was still taken");
        HoldServlet.release(run + "waits"); // (before it starts: a latch counted down ahead lets it through)
        for (int i = 0; i < slots; i++) {
            HoldServlet.release(run + i);
        }
        for (Future<RawHttp.Response> page : pages) {
            assertEquals(200, page.get().status());
        }
    }

    private FilterMXBean start() throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "<init-param><param-name>deny</param-name>",
                param("admissionGate", "on") + param("redirectCheckInterval", "0ms")
                        + "<init-param><param-name>deny</param-name>");
        Path xml = webapp.resolve("WEB-INF/web.xml");
        Files.writeString(xml, Files.readString(xml).replace("</web-app>", "<servlet><servlet-name>hold</servlet-name>"
                + "<servlet-class>" + HoldServlet.class.getName() + "</servlet-class>"
                + "<async-supported>true</async-supported></servlet>"
                + "<servlet-mapping><servlet-name>hold</servlet-name><url-pattern>/hold</url-pattern>"
                + "</servlet-mapping></web-app>"));
        container = newContainer();
        container.start(webapp, "/app", WORKERS);
        assertNull(container.startupFailure());
        assertEquals(200, RawHttp.get(container.port(), "/app/catalog/1").status()); // Tomcat finds its pool here
        FilterMXBean f = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), ObjectNames.filter("/app"),
                FilterMXBean.class);
        Await.until("the pool's size is known", () -> f.getMaxWorkers() >= 2);
        return f;
    }

    /** Starts {@code slots} pages that run until released, and waits until they all run. */
    private List<Future<RawHttp.Response>> fill(String prefix, int slots) {
        List<Future<RawHttp.Response>> pages = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            pages.add(hold(prefix + i));
        }
        Await.until(slots + " pages run", () -> HoldServlet.startedWith(prefix) == slots);
        return pages;
    }

    private Future<RawHttp.Response> hold(String key) {
        return clients.submit(() -> RawHttp.get(container.port(), "/app/hold?key=" + key));
    }

    private static String param(String name, String value) {
        return "<init-param><param-name>" + name + "</param-name><param-value>" + value + "</param-value></init-param>";
    }
}
