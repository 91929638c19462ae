package dev.spillway.filter.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Holds its worker thread for {@code ?ms=} milliseconds, to fill a small thread pool. */
public class SlowServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long ms = Long.parseLong(req.getParameter("ms") == null ? "200" : req.getParameter("ms"));
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resp.getWriter().print("slept " + ms);
    }
}
