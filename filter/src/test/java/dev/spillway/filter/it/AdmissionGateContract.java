package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void underAPermitWithBudgetAnArrivalThatFindsEverySlotTakenMovesTheOldestHeldRequestAtOnce() throws Exception {
        FilterMXBean f = start();
        f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {100}, 600_000);
        int slots = f.getMaxWorkers() - 1;
        List<Future<RawHttp.Response>> pages = fill(run, slots);
        // At the default spillWaiting=2 one request is kept waiting, as the pool's queue kept one: the next arrival
        // moves the one that waits (oldest first) and waits in its place.
        Future<RawHttp.Response> waits = get("/app/catalog/1");
        Await.until("one request waits in the filter", () -> f.getWaitingRequests() >= 1);
        long spilled = f.getSpilled();

        Future<RawHttp.Response> arrival = get("/app/catalog/2");

        RawHttp.Response moved = waits.get();
        assertEquals(307, moved.status(), moved.head());
        assertTrue(moved.header("Location").startsWith("http://127.0.0.1:9/app/catalog/1"), moved.head());
        Await.until("the arrival waits in its place", () -> f.getWaitingRequests() >= 1);
        assertEquals(spilled + 1, f.getSpilled());
        assertEquals(slots, HoldServlet.startedWith(run), "moved while every slot was still taken");
        assertFalse(arrival.isDone());
        for (int i = 0; i < slots; i++) {
            HoldServlet.release(run + i);
        }
        for (Future<RawHttp.Response> page : pages) {
            assertEquals(200, page.get().status());
        }
        assertEquals(200, arrival.get().status(), "served here when a page ended");
    }

    @Test
    void aHeldRequestIsMovedWhenBudgetReturnsWhileThePagesStillRunAndItsWaitIsQueueDelay() throws Exception {
        FilterMXBean f = start();
        f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {0}, 600_000); // a permit whose budget is spent
        int slots = f.getMaxWorkers() - 1;
        List<Future<RawHttp.Response>> pages = fill(run, slots);
        Future<RawHttp.Response> kept = get("/app/catalog/1"); // kept waiting (spillWaiting=2), nothing judged
        Await.until("one request held", () -> f.getWaitingRequests() >= 1);
        long heldFrom = System.nanoTime(); // it was held before this and is moved after heldUntil
        long eligible = f.getEligible();
        long overBudget = f.getSpillOverBudget();
        long spilled = f.getSpilled();
        Future<RawHttp.Response> over = get("/app/catalog/2"); // one waits: judged, over budget, held
        Await.until("two requests held", () -> f.getWaitingRequests() >= 2);
        Future<RawHttp.Response> denied = get("/app/admin/1"); // not eligible (deny=/admin/*): held, never moved
        Await.until("three requests held", () -> f.getWaitingRequests() >= 3);
        assertEquals(eligible + 1, f.getEligible());
        assertEquals(overBudget + 1, f.getSpillOverBudget());
        assertEquals(spilled, f.getSpilled(), "nothing moved without budget");

        long heldUntil = System.nanoTime();
        f.applyPermit("REDIRECT", new String[] {"b"}, new double[] {100}, 600_000); // the budget returns
        RawHttp.Response arrival = RawHttp.get(container.port(), "/app/catalog/3");

        assertEquals(307, arrival.status(), arrival.head());
        for (Future<RawHttp.Response> moved : List.of(kept, over)) {
            RawHttp.Response r = moved.get();
            assertEquals(307, r.status(), r.head());
            assertTrue(r.header("Location").startsWith("http://127.0.0.1:9/app/catalog/"), r.head());
        }
        assertTrue(kept.get().header("Location").startsWith("http://127.0.0.1:9/app/catalog/1"), "oldest first");
        assertEquals(slots, HoldServlet.startedWith(run), "moved while every page still ran");
        assertFalse(denied.isDone(), "a request that may not move stays held");
        assertEquals(spilled + 3, f.getSpilled(), "the two held and the arrival");
        assertEquals(eligible + 3, f.getEligible(), "the over-budget one not counted eligible twice");
        assertEquals(overBudget + 1, f.getSpillOverBudget(), "over budget counted once");
        long heldMillis = (heldUntil - heldFrom) / 1_000_000;
        assertTrue(f.getQueueDelayMaxMillis() >= heldMillis, "the time held in the gate is queue delay: "
                + f.getQueueDelayMaxMillis() + " ms, held at least " + heldMillis + " ms");

        for (int i = 0; i < slots; i++) {
            HoldServlet.release(run + i);
        }
        for (Future<RawHttp.Response> page : pages) {
            assertEquals(200, page.get().status());
        }
        assertEquals(200, denied.get().status(), "served here when a page ended");
        Await.until("every request's bookkeeping ended", () -> f.getInFlight() == 0);
        assertEquals(0, f.getErrors());
    }

    private Future<RawHttp.Response> get(String path) {
        return clients.submit(() -> RawHttp.get(container.port(), path));
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
