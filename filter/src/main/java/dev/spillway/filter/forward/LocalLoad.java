package dev.spillway.filter.forward;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * This server's own pool, as the filter's probe reads it (each figure -1 when unknown): what a moved request tells
 * the peer about its origin, and what a peer answers a proxied request with. {@code cpuFull}: the server's CPU
 * cgroup is at its quota (a CPU-capped server's workers wait for CPU, not for work: free workers are no room then).
 */
public record LocalLoad(IntSupplier waiting, IntSupplier busyWorkers, IntSupplier maxWorkers,
        BooleanSupplier cpuFull) {
    public static final LocalLoad UNKNOWN = new LocalLoad(() -> -1, () -> -1, () -> -1, () -> false);

    /**
     * Workers free for the next request (0 while the CPU quota is used up; -1 if the pool is unknown), counting the
     * one that serves the request we answer as free: that request holds its worker only until its answer is sent,
     * which is when the figure reaches its reader. A peer whose last worker took a proxied request is not full for
     * that: the next request gets that worker.
     */
    int idleBesidesOne() {
        if (cpuFull.getAsBoolean()) {
            return 0;
        }
        int max = maxWorkers.getAsInt();
        int busy = busyWorkers.getAsInt();
        return max < 0 || busy < 0 ? -1 : Math.max(0, max - Math.max(0, busy - 1));
    }
}
