package dev.spillway.testkit;

import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition instead of sleeping for a time: a test passes as soon as what it waits for happens, and
 * a loaded machine only makes it slower. The default bound is generous on purpose: it catches "never", not "slow".
 */
public final class Await {
    public static final long PATIENCE_MILLIS = 60_000;

    private Await() {
    }

    /** Polls until {@code condition} holds; fails the test (AssertionError) naming {@code what} after 60 s. */
    public static void until(String what, BooleanSupplier condition) {
        if (!eventually(PATIENCE_MILLIS, condition)) {
            throw new AssertionError("never happened within " + PATIENCE_MILLIS / 1000 + " s: " + what);
        }
    }

    /**
     * Polls {@code condition} every 20 ms until it holds or {@code millis} have passed; a condition that throws
     * (a connection still coming up) counts as not yet.
     *
     * @return whether it held
     */
    public static boolean eventually(long millis, BooleanSupplier condition) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException e) {
                // not yet
            }
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
        }
    }
}
