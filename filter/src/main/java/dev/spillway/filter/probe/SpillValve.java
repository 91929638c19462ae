package dev.spillway.filter.probe;

import java.util.concurrent.TimeUnit;

/**
 * The valve's question under a permit: would the current request, served here, only add delay — for itself or for
 * the next arrival? Yes when
 * <ul>
 *   <li>at least {@code spillWaiting} requests wait for a worker behind it (the pool is backed up), or</li>
 *   <li>this request took one of the last {@code spillReserve} free workers: serving it here would leave the next
 *       arrival to wait in the queue (up to a whole service time) however soon it comes; moving it keeps a worker
 *       free, so the hot server runs just below its pool's size instead of at it with a queue, or</li>
 *   <li>the server's CPU cgroup used (nearly) all its quota in the last 100 ms ({@link LoadProbe#saturated}).</li>
 * </ul>
 * A reserve of 0 keeps only the first and last. Cheap on the request path: a few atomic reads of the pool's
 * counters; the pool's maximum (for a percent reserve) is re-read at most once a second.
 */
public final class SpillValve {
    static final long POOL_SIZE_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** While the pool's size is unknown (Tomcat before its first request), it is asked again this often. */
    static final long POOL_SIZE_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LoadProbe probe;
    private final int spillWaiting;
    private final SpillReserve reserve;
    /** The reserve as a count of workers; -1 until the pool's size was read. */
    private volatile int keepFree = -1;
    private volatile long keepFreeReadAt;

    public SpillValve(LoadProbe probe, int spillWaiting, SpillReserve reserve) {
        this.probe = probe;
        this.spillWaiting = spillWaiting;
        this.reserve = reserve;
    }

    /** Requests waiting behind one that make it spill; the admission gate applies the same count to its queue. */
    public int spillWaiting() {
        return spillWaiting;
    }

    /** True if the request that entered the filter at {@code now} ({@link LoadProbe#enter}'s clock) should spill. */
    public boolean open(long now) {
        if (probe.backedUp(spillWaiting)) {
            return true;
        }
        int keep = keepFree(now);
        if (keep > 0) {
            int free = probe.freeWorkers();
            if (free >= 0 && free < keep) {
                return true;
            }
        }
        return probe.cpuHot();
    }

    /** The reserve in workers now; for a percent it follows the pool's maximum, read at most once a second. */
    int keepFree(long now) {
        if (!reserve.isPercent()) {
            return reserve.workers(0);
        }
        int keep = keepFree;
        if (keep < 0 || now - keepFreeReadAt >= POOL_SIZE_REFRESH_NANOS) {
            int max = probe.maxWorkers();
            keep = reserve.workers(max);
            keepFreeReadAt = max > 0 ? now : now - POOL_SIZE_REFRESH_NANOS + POOL_SIZE_RETRY_NANOS;
            keepFree = keep;
        }
        return keep;
    }
}
