package dev.spillway.filter.forward;

import java.io.IOException;

/**
 * This proxy's HTTP client refused the client's request before a byte of it went upstream (for example headers
 * larger than it will send): the client's request is at fault, not the peer, which is therefore not made suspect.
 */
final class UpstreamRefused extends IOException {
    UpstreamRefused(Throwable cause) {
        super(cause.toString(), cause);
    }
}
