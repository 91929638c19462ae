package dev.spillway.samples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Base of the sample pages: every answer says which host served it (header {@code X-Served-By} and the first line),
 * so the demo and the end-to-end tests can tell where a request really went.
 */
abstract class SamplePage extends HttpServlet {
    /** This server's name: system property {@code spillway.host}, else the local address and port. */
    static String hostName(HttpServletRequest req) {
        String configured = System.getProperty("spillway.host");
        return configured != null ? configured : req.getLocalAddr() + ":" + req.getLocalPort();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String host = hostName(req);
        resp.setHeader("X-Served-By", host);
        resp.setContentType("text/plain;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        String body = render(req, resp);
        resp.getWriter().print("served-by " + host + "\n" + body);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doGet(req, resp);
    }

    abstract String render(HttpServletRequest req, HttpServletResponse resp) throws IOException;

    static long longParam(HttpServletRequest req, String name, long def, long max) {
        String v = req.getParameter(name);
        if (v == null) {
            return def;
        }
        try {
            return Math.max(0, Math.min(max, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            return def;
        }
    }
}
