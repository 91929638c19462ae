package dev.spillway.filter.forward;

import java.util.concurrent.TimeoutException;

/** The peer's response head did not arrive within {@link ForwardSettings#PROXY_TIMEOUT}. */
final class UpstreamTimeout extends TimeoutException {
    UpstreamTimeout(long millis) {
        super("no response head from the peer within " + millis + " ms");
    }
}
