package dev.spillway.filter.probe;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * "This server's CPU is saturated: one more request served here only waits for CPU." For a server in a cgroup with a
 * CPU quota, where the worker pool does not show it: a CPU-starved server's workers are all busy being throttled, so
 * requests pile up in the workers, not in the pool's queue.
 *
 * <p>The evidence is the kernel's own: a CFS period in which the cgroup was throttled is a period in which it had more
 * runnable work than its quota, and every request in it waited. Each sample (one per CFS period at most) takes the
 * share {@code r} of the periods since the last sample that were throttled and moves the <em>shed fraction</em>
 * {@code f} by {@code UP × r − DOWN × (1 − r)}, within [0, {@value #MAX_SHED}]. That is an integral controller on
 * throttling: {@code f} settles where a share {@code DOWN / (UP + DOWN)} = 1/3 of the periods are throttled, i.e. where
 * the server keeps serving at its quota and only the excess is shed. A server that is never throttled (idle,
 * I/O-bound, uncapped) keeps {@code f = 0}. No threshold depends on the server's size or page: the kernel says when
 * demand passed the quota, and the controller sheds just enough to keep it there.
 *
 * <p>Per request, {@link #spill} answers true with probability {@code f}, and only when another request is in flight
 * here (a request alone on the server does not wait). Cost: a volatile read, and a thread-local random number only
 * while {@code f > 0}; nothing is allocated.
 */
final class CpuSaturation {
    /** Rise per fully throttled sample: from 0 to a 20% shed in five periods (0.5 s at the usual 100 ms). */
    static final double UP = 0.04;
    /** Fall per unthrottled sample. Half of UP: a throttled period costs every request in it; an idle one, little. */
    static final double DOWN = 0.02;
    /** Never shed everything: the server keeps its share of the work, and a wrong signal cannot empty it. */
    static final double MAX_SHED = 0.9;

    private final CpuThrottleCounter counter;
    private final long intervalNanos;
    private final AtomicLong nextSampleAt;
    private volatile CpuThrottleCounter.Reading last;
    private volatile double shedFraction;

    CpuSaturation(CpuThrottleCounter counter, long nowNanos) {
        this.counter = counter;
        this.intervalNanos = Math.max(LoadProbe.SAMPLE_INTERVAL_NANOS, counter.periodNanos());
        this.nextSampleAt = new AtomicLong(nowNanos);
        this.last = counter.read();
    }

    /** Called from the probe's sampling; reads the counters if a CFS period has passed since the last read. */
    void maybeSample(long nowNanos) {
        long due = nextSampleAt.get();
        if (nowNanos - due < 0 || !nextSampleAt.compareAndSet(due, nowNanos + intervalNanos)) {
            return;
        }
        CpuThrottleCounter.Reading now = counter.read();
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
