package dev.spillway.samples;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The health page the agent probes: cheap, and denied in web.xml so it always measures this host. */
public class HealthPage extends SamplePage {
    @Override
    String render(HttpServletRequest req, HttpServletResponse resp) {
        return "ok\n";
    }
}
