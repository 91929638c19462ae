package dev.spillway.filter.spi;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A webapp's way to say "this server can answer that request itself" (from its own cache, typically): such a request
 * is never moved, even while this server spills (seed 004 c.35). Name the implementing class in the filter's
 * {@code localAnswer} init-param; the filter creates one instance at start (public no-argument constructor, loaded by
 * the webapp's class loader) and, if it is {@link AutoCloseable}, closes it when the filter is destroyed.
 *
 * <p>Consulted only for a request that could otherwise be moved (eligible, while a directive or permit is in force),
 * on the request thread, before a budget is spent on it: keep it cheap and thread-safe. It must not read the body or
 * touch the response. An exception from it counts as "answers locally": the request is served here.
 */
@FunctionalInterface
public interface LocalAnswer {

    /** True if this server answers {@code request} itself, so it must not be moved. */
    boolean answersLocally(HttpServletRequest request);
}
