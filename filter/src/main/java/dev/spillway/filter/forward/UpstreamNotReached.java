package dev.spillway.filter.forward;

import java.io.IOException;

/** The peer was not reached (no connection, or none in time): nothing of the request went upstream. */
final class UpstreamNotReached extends IOException {
    UpstreamNotReached(Throwable cause) {
        super(cause.toString(), cause);
    }
}
