package dev.spillway.filter.forward;

/**
 * How a forwarder ended a chosen request: it took charge of it, or it declined and the filter serves it here now.
 * Every chosen request ends in exactly one of these, and each decline is counted by its reason (the filter MXBean's
 * {@code Declined}), so a request that was meant to move and did not is never silent.
 */
public enum ForwardResult {
    /** Answered (a redirect), or handed to a proxy exchange that answers it or serves it here itself. */
    TAKEN(null),
    /** The response was already committed (another filter wrote to it): too late to redirect or proxy. */
    RESPONSE_COMMITTED("response-committed"),
    /** Proxy mode needs async support, and this request's filter chain does not have it. */
    NO_ASYNC_SUPPORT("no-async-support"),
    /** The HTTP client refused the request as given (a method or URI it cannot send). */
    UNSENDABLE("unsendable-request"),
    /** The proxy's HTTP client could not be started. */
    NO_PROXY_CLIENT("no-proxy-client"),
    /** Proxy mode: the peer already has {@code proxyMaxRelays} relays in flight from here (it answers slowly). */
    RELAYS_FULL("relays-full");

    private final String reason;

    ForwardResult(String reason) {
        this.reason = reason;
    }

    public boolean taken() {
        return this == TAKEN;
    }

    /** The decline's name as the MXBean shows it; null for {@link #TAKEN}. */
    public String reason() {
        return reason;
    }
}
