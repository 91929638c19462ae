package dev.spillway.filter.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds its worker until the test releases its {@code ?key=}: pages that end when the test says, not after a time.
 * The state is static: the test webapp has no classes of its own, so the container loads this class from the test's
 * class path and the test sees the same latches.
 */
public class HoldServlet extends HttpServlet {
    private static final Map<String, CountDownLatch> RELEASES = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> STARTED = new ConcurrentHashMap<>();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String key = req.getParameter("key");
        STARTED.put(key, true);
        try {
            // Bounded only so that a failed test cannot hold the container's threads forever.
            if (!latch(key).await(60, TimeUnit.SECONDS)) {
                resp.sendError(500, "never released");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resp.getWriter().print("held " + key);
    }

    static boolean started(String key) {
        return STARTED.containsKey(key);
    }

    /** Pages started whose key begins with {@code prefix}. */
    static long startedWith(String prefix) {
        return STARTED.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }

    static void release(String key) {
        latch(key).countDown();
    }

    static void releaseAll() {
        RELEASES.values().forEach(CountDownLatch::countDown);
    }

    private static CountDownLatch latch(String key) {
        return RELEASES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }
}
