package dev.spillway.filter.probe;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds its worker thread for {@code ?sleep=<ms>} milliseconds, or with {@code ?gate=1} until the test opens the
 * {@link #GATE} (at most a minute, so a failed test never leaves workers stuck): a few requests saturate a small
 * pool, and with the gate the pool stays saturated for as long as the test needs, however slow the machine.
 */
public class SleepingServlet extends HttpServlet {
    /** One server runs at a time in these tests; {@link LoadDriver} closes it before a burst and opens it after. */
    static final AtomicReference<CountDownLatch> GATE = new AtomicReference<>(new CountDownLatch(0));

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String sleep = req.getParameter("sleep");
        try {
            if (req.getParameter("gate") != null) {
                GATE.get().await(1, TimeUnit.MINUTES);
            } else if (sleep != null) {
                Thread.sleep(Long.parseLong(sleep));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resp.setContentType("text/plain");
        resp.getWriter().print("ok");
    }
}
