package dev.spillway.manager.policy;

import dev.spillway.agent.contract.OffloadMode;

/**
 * What moving one request away still costs the host it leaves, as a part of what serving it there would have cost,
 * for a host whose capacity is bound by its CPU (a host bound by its workers frees the whole worker: the proxy
 * relays asynchronously and a 307 holds its worker for microseconds).
 *
 * <p>Measured, not fitted: the {@code RelayCost} benchmark program (BENCHMARKS.md section 7, session 5 proxy mode) put
 * a page of {@code /work?cost=2000} at 1196 µs of its server's CPU, the relay of a proxied one at 252 µs (0.21) and
 * a 307 at 122 µs (0.10). A filter does not count its relayed requests' CPU apart from its pages', and a host that
 * needs this figure most (its quota used up, throttled) is the one whose CPU says least about it, so the manager
 * uses these ratios rather than a fit per host. A cheaper page makes the ratio larger: the figures are a floor for
 * pages cheaper than about a millisecond of CPU. They hold for an origin that keeps up: one whose queue has grown
 * past its clients' patience spent about a page's CPU per relayed request (BENCHMARKS.md section 7, session 6 shape 4).
 */
final class MoveCost {
    /** A proxied request's relay (request out, response streamed back) against serving the page here. */
    static final double PROXY = 0.21;
    /** A 307 answer against serving the page here. */
    static final double REDIRECT = 0.10;

    private MoveCost() {
    }

    static double of(OffloadMode mode) {
        return switch (mode) {
            case PROXY -> PROXY;
            case REDIRECT -> REDIRECT;
            case LOCAL -> 0;
        };
    }
}
