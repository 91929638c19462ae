package dev.spillway.filter.forward;

import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/** Reading an upstream failure: the clients wrap their causes, so each question walks the cause chain. */
final class Failures {
    private Failures() {
    }

    /** Without the CompletionException / ExecutionException wrappers of the futures that carried it. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** True if {@code t} or one of its causes is a {@code type}. */
    static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** A timeout: the JDK client's {@link HttpTimeoutException}, or any {@link TimeoutException} (ours, Jetty's). */
    static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpTimeoutException || c instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
