package dev.spillway.filter.probe;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;

/** Peels the webapp's and our own {@link ServletRequestWrapper}s off, down to the container's request object. */
final class Unwrap {
    private Unwrap() {
    }

    static ServletRequest toContainerRequest(ServletRequest request) {
        ServletRequest r = request;
        // Bounded: a wrapper that (wrongly) wraps itself must not hang the request thread.
        for (int i = 0; i < 64 && r instanceof ServletRequestWrapper w; i++) {
            r = w.getRequest();
        }
        return r;
    }
}
