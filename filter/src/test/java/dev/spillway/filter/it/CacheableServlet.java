package dev.spillway.filter.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers with a body that is new on every render ("render N"), so a test sees whether the page cache answered.
 * {@code ?cc=} is its Cache-Control, {@code ?vary=} its Vary, {@code ?cookie=1} sets a cookie,
 * {@code ?session=1} creates a session.
 */
public class CacheableServlet extends HttpServlet {
    private static final AtomicLong RENDERS = new AtomicLong();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getParameter("cc") != null) {
            resp.setHeader("Cache-Control", req.getParameter("cc"));
        }
        if (req.getParameter("vary") != null) {
            resp.setHeader("Vary", req.getParameter("vary"));
        }
        if (req.getParameter("cookie") != null) {
            resp.addCookie(new jakarta.servlet.http.Cookie("user", "alice"));
        }
        if (req.getParameter("session") != null) {
            req.getSession(true);
        }
        resp.setContentType("text/plain;charset=utf-8");
        resp.setHeader("X-Page", "kept");
        resp.getWriter().print("render " + RENDERS.incrementAndGet() + " lang=" + req.getHeader("Accept-Language"));
    }
}
