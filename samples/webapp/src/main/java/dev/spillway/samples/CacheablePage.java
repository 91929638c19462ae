package dev.spillway.samples;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;

/**
 * Stateless, slow and marked cacheable: {@code ?key=K&ms=N&maxAge=S} holds the thread N ms like {@code /slow} (default
 * 100, at most 30 s), then answers {@code Cache-Control: public, max-age=S} (default 300, at most a day), the only
 * sample page a shared cache (the filter's {@code pageCacheKb}) may keep. Each key is its own page (the cache keys on
 * the query); the body names the key's length and when it was rendered, never the key itself, so nothing is reflected.
 */
public class CacheablePage extends SamplePage {
    @Override
    String render(HttpServletRequest req, HttpServletResponse resp) {
        long ms = longParam(req, "ms", 100, 30_000);
        long maxAge = longParam(req, "maxAge", 300, 86_400);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // replaces the no-store every sample page starts with
        resp.setHeader("Cache-Control", "public, max-age=" + maxAge);
        String key = req.getParameter("key");
        return "cached page, key of " + (key == null ? 0 : key.length()) + " characters, rendered " + Instant.now()
                + " after " + ms + " ms\n";
    }
}
