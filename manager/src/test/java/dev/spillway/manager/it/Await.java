package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.BooleanSupplier;

/** Waits for an event. The bound is generous on purpose: it catches "never", not "slow". */
final class Await {
    static final long PATIENCE_MILLIS = 60_000;

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (System.currentTimeMillis() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet (e.g. a connection still coming up)
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
        fail("never happened within " + PATIENCE_MILLIS / 1000 + " s: " + what);
    }
}
