package dev.spillway.filter.probe;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A nano clock the test moves by hand; starts negative, as System.nanoTime() may. */
final class FakeClock implements LongSupplier {
    private long now = -5_000_000_000L;

    @Override
    public long getAsLong() {
        return now;
    }

    void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
