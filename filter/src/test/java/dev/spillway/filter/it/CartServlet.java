package dev.spillway.filter.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/** A stateful page: keeps an item count in the session. */
public class CartServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(true);
        Integer items = (Integer) session.getAttribute("items");
        items = items == null ? 1 : items + 1;
        session.setAttribute("items", items);
        resp.setContentType("text/plain");
        resp.getWriter().print("cart " + items);
    }
}
