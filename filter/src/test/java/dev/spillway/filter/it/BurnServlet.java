package dev.spillway.filter.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * A CPU-bound page: computes until its thread has used {@code ?ms=N} ms of CPU (default 20), so under a CPU quota it
 * takes as long as the quota makes it, like the benchmark's SHA-256 page.
 */
public class BurnServlet extends HttpServlet {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String ms = req.getParameter("ms");
        long cpuNanos = TimeUnit.MILLISECONDS.toNanos(ms == null ? 20 : Long.parseLong(ms));
        long until = THREADS.getCurrentThreadCpuTime() + cpuNanos;
        long x = 1;
        while (THREADS.getCurrentThreadCpuTime() < until) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        resp.setContentType("text/plain;charset=utf-8");
        resp.getWriter().print("burnt " + (x & 1));
    }
}
