package dev.spillway.filter.probe;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The maximum of non-negative samples over a sliding window, lock-free, from two rotating buckets each half the
 * window wide: the reported maximum covers between half a window and a whole window of the most recent samples,
 * never older ones. Reads -1 when no sample fell in that span.
 *
 * <p>Rotation races are benign: a sample recorded while another thread rotates may land in the bucket that just
 * became "previous", which is still reported; at worst one sample is credited to the neighbouring half-window.
 */
final class WindowMax {
    static final long NONE = -1;

    private final long bucketNanos;
    private final AtomicLong bucket;
    private final AtomicLong current = new AtomicLong(NONE);
    private final AtomicLong previous = new AtomicLong(NONE);

    WindowMax(long windowNanos, long nowNanos) {
        if (windowNanos < 2) {
            throw new IllegalArgumentException("window must be at least 2 ns, was " + windowNanos);
        }
        this.bucketNanos = windowNanos / 2;
        this.bucket = new AtomicLong(bucketOf(nowNanos));
    }

    private long bucketOf(long nowNanos) {
        return Math.floorDiv(nowNanos, bucketNanos); // nanoTime may be negative
    }

    void record(long sample, long nowNanos) {
        long b = bucketOf(nowNanos);
        long seen = bucket.get();
        if (b > seen && bucket.compareAndSet(seen, b)) {
            long old = current.getAndSet(NONE);
            previous.set(b == seen + 1 ? old : NONE);
        }
        long max = current.get();
        while (sample > max && !current.compareAndSet(max, sample)) {
            max = current.get();
        }
    }

    long max(long nowNanos) {
        long b = bucketOf(nowNanos);
        long seen = bucket.get();
        if (b <= seen) {
            return Math.max(current.get(), previous.get());
        }
        return b == seen + 1 ? current.get() : NONE;
    }
}
