package dev.spillway.samples;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/** Stateful: a cart kept in the HttpSession. /cart/add adds an item, anything else shows the cart. */
public class CartPage extends SamplePage {
    @Override
    String render(HttpServletRequest req, HttpServletResponse resp) {
        HttpSession session = req.getSession(true);
        Integer items = (Integer) session.getAttribute("items");
        int count = items == null ? 0 : items;
        if ("/add".equals(req.getPathInfo())) {
            count++;
            session.setAttribute("items", count);
        }
        return "cart " + count + " items\n";
    }
}
