package dev.spillway.filter.forward;

import java.util.concurrent.TimeoutException;

/** The peer sent nothing more of its response body for {@link ForwardSettings#PROXY_IDLE_TIMEOUT}. */
final class UpstreamIdle extends TimeoutException {
    UpstreamIdle(long millis) {
        super("the peer sent nothing of its response body for " + millis + " ms");
    }
}
