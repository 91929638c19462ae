package dev.spillway.filter.probe;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * "This server is using its CPU quota now: one more request served here would push it into throttling." For a server
 * in a cgroup with a CPU quota, where the worker pool does not show saturation (its workers wait for CPU, not for
 * work). The kernel throttles a group once it used its quota within a CFS period, and then every request in it waits
 * for the rest of the period (75 ms at a quarter CPU): a signal must act before that, not count it afterwards.
 *
 * <p>So the signal compares the CPU the group used in the last {@value #WINDOW_MILLIS} ms (a sliding window of its
 * cgroup's usage counter, sampled at most every {@value #SAMPLE_MILLIS} ms by a request that comes due, never by a
 * timer and never by every request) with what the quota allows in that time, and is <em>hot</em> from
 * {@value #MARGIN} of it on. The margin leaves room for the CPU already admitted requests still need and for the
 * sampling step (the group may run on several cores between two samples). While hot, a request spills; the spills
 * lower the usage until the window cools: the server keeps running just under its quota and only the excess leaves,
 * within the period rather than one late.
 *
 * <p>The CPU that requests moved here from a peer used is kept apart ({@link MovedInCpu}) and left out of the test:
 * a peer that takes another server's excess must not move its own requests on because of it (they would take a hop
 * each for load that already took one, and the peers would pass load around). The window's whole CPU still says
 * whether the group is {@link #full} (what it answers a proxying origin with, so the origin sends it less).
 *
 * <p>The quota is read when the group is looked up: at start and every {@value #RELOCATE_SECONDS} s (a process can be
 * moved into its group after it started; an operator can change the quota). Without a quota the usage is never read
 * and the signal is never hot: an uncapped server pays a volatile read per request and nothing else.
 */
final class CpuWindow {
    static final long WINDOW_MILLIS = 100;
    static final long SAMPLE_MILLIS = 5;
    /** Hot from this share of the quota's CPU in the window on. */
    static final double MARGIN = 0.95;
    static final long RELOCATE_SECONDS = 1;
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS);
    private static final long RELOCATE_NANOS = TimeUnit.SECONDS.toNanos(RELOCATE_SECONDS);
    /** Samples kept: at least one per SAMPLE_MILLIS, so this spans at least three windows. */
    private static final int SLOTS = (int) (3 * WINDOW_MILLIS / SAMPLE_MILLIS);

    private final Supplier<CgroupCpu> locator;
    private final AtomicLong nextSampleAt;
    private final AtomicBoolean sampling = new AtomicBoolean();
    // The ring and the fields below are written only by the thread holding `sampling`.
    private final long[] times = new long[SLOTS];
    private final long[] usages = new long[SLOTS];
    private final long[] movedIns = new long[SLOTS];
    /** CPU used serving requests moved here from a peer; timed only with a quota. */
    private final MovedInCpu movedInCpu = new MovedInCpu();
    private int newest = -1;
    private int count;
    private CgroupCpu group;
    private long relocateAt;
    private volatile double quotaCpus;
    /** The window's CPU as a share of the quota's, from the last sample; 0 until a window is known. */
    private volatile double load;
    private volatile boolean hot;
    private volatile boolean full;

    /** @param locator finds this process's group now; null from it: none (the signal stays silent) */
    CpuWindow(Supplier<CgroupCpu> locator, long nowNanos) {
        this.locator = locator;
        this.nextSampleAt = new AtomicLong(nowNanos);
        use(locator.get(), nowNanos);
    }

    private void use(CgroupCpu g, long nowNanos) {
        group = g;
        quotaCpus = g == null ? CgroupCpu.NO_QUOTA : g.quotaCpus();
        relocateAt = nowNanos + RELOCATE_NANOS;
    }

    /** Called on every request; samples the usage if {@value #SAMPLE_MILLIS} ms passed since the last sample. */
    void maybeSample(long nowNanos) {
        long due = nextSampleAt.get();
        if (nowNanos - due < 0 || !nextSampleAt.compareAndSet(due, nowNanos + SAMPLE_NANOS)
                || !sampling.compareAndSet(false, true)) {
            return;
        }
        try {
            sample(nowNanos);
        } finally {
            sampling.set(false);
        }
    }

    private void sample(long nowNanos) {
        if (nowNanos - relocateAt >= 0) {
            CgroupCpu found = locator.get();
            if (!CgroupCpu.same(found, group)) {
                count = 0; // another group: its counter starts a new window
                hot = false;
                full = false;
                load = 0;
            }
            use(found, nowNanos);
        }
        if (group == null || quotaCpus <= CgroupCpu.NO_QUOTA) {
            hot = false;
            full = false;
            load = 0;
            return;
        }
        long movedIn = movedInCpu.total(); // before the usage: the group's counter then includes all of it
        long usage = group.usageNanos();
        if (usage < 0) {
            return; // unreadable now: keep the last figure
        }
        newest = (newest + 1) % SLOTS;
        times[newest] = nowNanos;
        usages[newest] = usage;
        movedIns[newest] = movedIn;
        count = Math.min(count + 1, SLOTS);
        int old = windowStart(nowNanos);
        if (old < 0) {
            load = 0; // less than a window seen yet
            hot = false;
            full = false;
            return;
        }
        double quotaNanos = quotaCpus * (nowNanos - times[old]);
        long used = Math.max(0, usage - usages[old]);
        long own = Math.max(0, used - (movedIn - movedIns[old]));
        double l = used / quotaNanos;
        load = l;
        full = l >= MARGIN;
        hot = own / quotaNanos >= MARGIN;
    }

    /** The newest sample at least a window old; -1 if there is none yet. */
    private int windowStart(long nowNanos) {
        for (int k = 1; k < count; k++) {
            int i = Math.floorMod(newest - k, SLOTS);
            if (nowNanos - times[i] >= WINDOW_NANOS) {
                return i;
            }
        }
        return -1;
    }

    /** A request moved here from a peer starts on this thread; returns what {@link #movedInEnds} takes. */
    long movedInStarts() {
        return quotaCpus <= CgroupCpu.NO_QUOTA ? MovedInCpu.NOT_TIMED : movedInCpu.starts();
    }

    /** The moved-in request {@link #movedInStarts} answered {@code started} for is done on this thread. */
    void movedInEnds(long started) {
        movedInCpu.ends(started);
    }

    /**
     * True if this request should leave: the window's CPU, less what requests moved here used, is at the quota. Even
     * a request alone on the server: its own CPU would take the group into throttling (a CPU-bound page at a quarter
     * CPU rarely overlaps another one, so waiting for company would let nearly all the excess stay).
     */
    boolean hot() {
        return hot;
    }

    /** True if the window's whole CPU, moved-in requests' included, is at the quota: no room for more here. */
    boolean full() {
        return full;
    }

    /** The last window's CPU as a share of what the quota allows (1 = all of it); 0 without a quota. */
    double load() {
        return load;
    }

    /** The quota in CPUs; 0 without one. */
    double quotaCpus() {
        return quotaCpus;
    }
}
