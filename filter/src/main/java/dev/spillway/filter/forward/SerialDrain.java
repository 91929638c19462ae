package dev.spillway.filter.forward;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a drain step on whichever thread asks, one thread at a time, and once more for every request that arrived
 * while it ran, so no signal is lost and no lock is held across callbacks (the container's and the HTTP client's
 * threads both signal). The step itself must not block.
 */
final class SerialDrain {
    private final AtomicInteger pending = new AtomicInteger();
    private final Runnable step;

    SerialDrain(Runnable step) {
        this.step = step;
    }

    void run() {
        if (pending.getAndIncrement() != 0) {
            return; // the running thread will go round once more for us
        }
        do {
            step.run();
        } while (pending.decrementAndGet() != 0);
    }
}
