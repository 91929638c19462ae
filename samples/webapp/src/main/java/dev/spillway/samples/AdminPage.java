package dev.spillway.samples;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Denied: an admin page that must only ever be served by the host it was asked of. */
public class AdminPage extends SamplePage {
    @Override
    String render(HttpServletRequest req, HttpServletResponse resp) {
        return "admin\n";
    }
}
