package dev.spillway.filter.it;

import dev.spillway.filter.spi.LocalAnswer;
import jakarta.servlet.http.HttpServletRequest;

/** The test webapp's "cache": it claims every request that carries {@code X-Test-Cached}. */
public class HeaderLocalAnswer implements LocalAnswer {
    static final String HEADER = "X-Test-Cached";

    @Override
    public boolean answersLocally(HttpServletRequest request) {
        return request.getHeader(HEADER) != null;
    }
}
