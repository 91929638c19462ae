package dev.spillway.filter.forward;

import java.util.function.IntSupplier;

/**
 * This server's own pool, as the filter's probe reads it (each figure -1 when unknown): what a moved request tells
 * the peer about its origin, and what a peer answers a proxied request with.
 */
public record LocalLoad(IntSupplier waiting, IntSupplier busyWorkers, IntSupplier maxWorkers) {
    public static final LocalLoad UNKNOWN = new LocalLoad(() -> -1, () -> -1, () -> -1);

    /** Workers free now; -1 if the pool is unknown. */
    int idle() {
        int max = maxWorkers.getAsInt();
        int busy = busyWorkers.getAsInt();
        return max < 0 || busy < 0 ? -1 : Math.max(0, max - busy);
    }
}
