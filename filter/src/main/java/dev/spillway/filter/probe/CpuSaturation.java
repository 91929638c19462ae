package dev.spillway.filter.probe;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * "This server's CPU is saturated: one more request served here only waits for CPU." For a server in a cgroup with a
 * CPU quota, where the worker pool does not show it: a CPU-starved server's workers are all busy being throttled, so
 * requests pile up in the workers, not in the pool's queue.
 *
 * <p>The evidence is the kernel's own: a CFS period in which the cgroup was throttled is a period in which it had more
 * runnable work than its quota, and every request in it waited. Each sample (one per CFS period at most) takes the
 * share {@code r} of the periods since the last sample that were throttled and moves the <em>shed fraction</em>
 * {@code f} by {@code UP × r − DOWN × (1 − r)}, within [0, {@value #MAX_SHED}]. That is an integral controller on
 * throttling: {@code f} settles where a share {@code DOWN / (UP + DOWN)} = 1/5 of the periods are throttled, i.e. where
 * the server keeps serving near its quota and only the excess is shed. (A throttled period stalls every request in
 * it for the rest of the period, 75 ms at a quarter CPU; a set point of 1/3 left that in the tail, see BENCHMARKS 7.)
 * A server that is never throttled (idle, I/O-bound, uncapped) keeps {@code f = 0}. No threshold depends on the
 * server's size or page: the kernel says when demand passed the quota, and the controller sheds just enough to keep it
 * there.
 *
 * <p>Which cgroup is looked up again every {@value #RELOCATE_SECONDS} s (two small /proc reads): a process can be moved
 * into its group after it started (a supervisor that confines it once it runs), and the counters of the group it left
 * would never move.
 *
 * <p>Per request, {@link #spill} answers true with probability {@code f}, and only when another request is in flight
 * here (a request alone on the server does not wait). Cost: a volatile read, and a thread-local random number only
 * while {@code f > 0}; nothing is allocated.
 */
final class CpuSaturation {
    /** Rise per fully throttled sample: from 0 to a 20% shed in five periods (0.5 s at the usual 100 ms). */
    static final double UP = 0.04;
    /** Fall per clear sample, a quarter of UP: a throttled period costs every request in it; a clear one, little. */
    static final double DOWN = 0.01;
    /** Never shed everything: the server keeps its share of the work, and a wrong signal cannot empty it. */
    static final double MAX_SHED = 0.9;
    static final long RELOCATE_SECONDS = 1;
    private static final long RELOCATE_NANOS = TimeUnit.SECONDS.toNanos(RELOCATE_SECONDS);
    private static final long DEFAULT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Supplier<CpuThrottleCounter> locator;
    private final AtomicLong nextSampleAt;
    // Written only by the elected sampling thread; volatile for the request threads and the next sampler.
    private volatile CpuThrottleCounter counter;
    private volatile long relocateAt;
    private volatile CpuThrottleCounter.Reading last;
    private volatile double shedFraction;

    /** @param locator finds this process's counters now; null from it: none (the signal stays silent) */
    CpuSaturation(Supplier<CpuThrottleCounter> locator, long nowNanos) {
        this.locator = locator;
        this.nextSampleAt = new AtomicLong(nowNanos);
        use(locator.get(), nowNanos);
    }

    private void use(CpuThrottleCounter c, long nowNanos) {
        counter = c;
        last = c == null ? null : c.read();
        relocateAt = nowNanos + RELOCATE_NANOS;
    }

    private long intervalNanos() {
        CpuThrottleCounter c = counter;
        return Math.max(LoadProbe.SAMPLE_INTERVAL_NANOS, c == null ? DEFAULT_INTERVAL_NANOS : c.periodNanos());
    }

    /** Called from the probe's sampling; reads the counters if a CFS period has passed since the last read. */
    void maybeSample(long nowNanos) {
        long due = nextSampleAt.get();
        if (nowNanos - due < 0 || !nextSampleAt.compareAndSet(due, nowNanos + intervalNanos())) {
            return;
        }
        if (nowNanos - relocateAt >= 0) {
            CpuThrottleCounter found = locator.get();
            if (!CpuThrottleCounter.sameFile(found, counter)) {
                use(found, nowNanos); // moved to another group: start over from its counters
                shedFraction = 0;
                return;
            }
            relocateAt = nowNanos + RELOCATE_NANOS;
        }
        CpuThrottleCounter c = counter;
        if (c == null) {
            return;
        }
        CpuThrottleCounter.Reading now = c.read();
        CpuThrottleCounter.Reading before = last;
        if (now == null) {
            return; // unreadable now: keep the last figure, it decays once readings come back
        }
        last = now;
        if (before == null) {
            return;
        }
        shedFraction = next(shedFraction, before, now);
    }

    /** The controller's step from two readings; package-private for tests. */
    static double next(double f, CpuThrottleCounter.Reading before, CpuThrottleCounter.Reading now) {
        long periods = now.periods() - before.periods();
        long throttled = now.throttled() - before.throttled();
        // No period with work (idle) or counters that went back (a new cgroup): nothing was throttled.
        double r = periods > 0 && throttled > 0 ? Math.min(1.0, (double) throttled / periods) : 0.0;
        double stepped = f + UP * r - DOWN * (1 - r);
        return Math.max(0.0, Math.min(MAX_SHED, stepped));
    }

    /** True if this request should leave: the CPU is saturated and another request is being served here. */
    boolean spill(int inFlight) {
        double f = shedFraction;
        return f > 0 && inFlight > 1 && ThreadLocalRandom.current().nextDouble() < f;
    }

    /** The share of requests shed now, 0..{@value #MAX_SHED}. */
    double shedFraction() {
        return shedFraction;
    }
}
