package dev.spillway.samples;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Stateless: echoes the query's length and a few "results" (never the query itself, so nothing is reflected). */
public class SearchPage extends SamplePage {
    @Override
    String render(HttpServletRequest req, HttpServletResponse resp) {
        String q = req.getParameter("q");
        int n = q == null ? 0 : Math.min(10, q.length());
        StringBuilder sb = new StringBuilder("search, query of ").append(q == null ? 0 : q.length())
                .append(" characters\n");
        for (int i = 0; i < n; i++) {
            sb.append("result ").append(i + 1).append('\n');
        }
        return sb.toString();
    }
}
