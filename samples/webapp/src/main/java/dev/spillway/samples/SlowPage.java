package dev.spillway.samples;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Stateless and slow, like a page waiting on a back end: {@code ?ms=N} holds the thread N ms (at most 30 s). */
public class SlowPage extends SamplePage {
    @Override
    String render(HttpServletRequest req, HttpServletResponse resp) {
        long ms = longParam(req, "ms", 100, 30_000);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "slow " + ms + "\n";
    }
}
