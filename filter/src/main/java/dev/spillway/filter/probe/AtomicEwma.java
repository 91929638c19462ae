package dev.spillway.filter.probe;

import java.util.concurrent.atomic.AtomicLong;

/**
 * An exponentially weighted moving average held as the bits of a double in one {@link AtomicLong}. NaN until the
 * first sample. An update is a single CAS attempt: a thread that loses the race drops its sample instead of
 * spinning, which keeps the hot path's cost bounded and leaves the average unbiased (which sample loses is random).
 */
final class AtomicEwma {
    private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));

    /** Moves the average {@code weight} (0..1] of the way toward {@code sample}; the first sample is taken as is. */
    void add(double sample, double weight) {
        long current = bits.get();
        double average = Double.longBitsToDouble(current);
        double next = Double.isNaN(average) ? sample : average + weight * (sample - average);
        bits.compareAndSet(current, Double.doubleToRawLongBits(next));
    }

    /**
     * Peak-sensitive: a sample above the average replaces it at once, one below moves it {@code weight} of the way
     * down. For a delay signal, where a rise is news to act on now and a fall only needs confirming.
     */
    void addRisingAtOnce(double sample, double weight) {
        long current = bits.get();
        double average = Double.longBitsToDouble(current);
        double next = Double.isNaN(average) || sample > average ? sample : average + weight * (sample - average);
        bits.compareAndSet(current, Double.doubleToRawLongBits(next));
    }

    /** @return the average, or NaN if no sample was ever added */
    double get() {
        return Double.longBitsToDouble(bits.get());
    }
}
