package dev.spillway.samples;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Stateless: a catalog listing, or one item at /catalog/{id}. */
public class CatalogPage extends SamplePage {
    @Override
    String render(HttpServletRequest req, HttpServletResponse resp) {
        String item = req.getPathInfo();
        if (item == null || item.equals("/")) {
            StringBuilder sb = new StringBuilder("catalog\n");
            for (int i = 1; i <= 20; i++) {
                sb.append("item ").append(i).append('\n');
            }
            return sb.toString();
        }
        return "item " + item.substring(1) + "\n";
    }
}
