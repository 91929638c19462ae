package dev.spillway.filter.probe;

import dev.spillway.settings.TrustedProxies;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One webapp's load as its filter sees it: requests in flight, the container's queue length, and each request's
 * queue delay, with a smoothed value and a recent maximum of each. Thread-safe, lock-free, and {@link #enter} /
 * {@link #exit} allocate nothing.
 *
 * <p><b>Queue delay</b> (arrival at the connector, or at a trusted front proxy, to the filter): each request's delay
 * goes into an EWMA with weight 1/16 per request (the last ~16 requests dominate: quick to
 * follow a queue that builds up, steady against one slow outlier, and no clock or {@code exp()} on the hot path),
 * and into a {@link WindowMax} over {@code windowMillis}. If no source ever knew a request's arrival,
 * {@link #queueDelaySource()} is {@code "none"} and both delay getters read -1. A window in which no request
 * reached the filter reads 0 for the per-request part: nothing was seen waiting (a queue so stuck that nothing gets
 * through shows in {@link #queueLength()}, read live, and in the pool wait's growing canary age).
 *
 * <p><b>Pool wait.</b> On HTTP/1.1 both containers stamp a request only once a worker thread starts on it, so the
 * per-request figure misses the wait for a worker (see the package notes). Where the container's worker pool is
 * known, a {@link PoolWaitCanary} times one empty job through that pool per sampling interval; the delay getters
 * report the larger of the per-request figure and the pool wait.
 *
 * <p><b>Queue length</b> is sampled at most every 10 ms (one CAS on a timestamp
 * elects the sampling thread), from requests and from the getters, so it stays fresh while idle. Its average is
 * time-weighted, weight {@code dt / (dt + 1 s)}, an exponential decay with a one-second time constant that does not
 * depend on how often samples come. Where no container pool is reachable the source is the in-flight count.
 *
 * <p><b>CPU saturation.</b> Where this JVM runs in a CPU cgroup with a quota, requests also sample the group's CPU
 * usage every few ms and {@link CpuWindow} says when the last 100 ms used (nearly) all the quota allows
 * ({@link #saturated}).
 */
public final class LoadProbe {
    static final String IN_FLIGHT = "in-flight";
    static final String NONE = "none";
    static final double DELAY_WEIGHT = 1.0 / 16;
    static final long SAMPLE_INTERVAL_MILLIS = 10;
    static final long LENGTH_TIME_CONSTANT_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long SAMPLE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(SAMPLE_INTERVAL_MILLIS);

    private final QueueLengthSource lengthSource; // null: in-flight only
    private final QueueDelaySource[] delaySources;
    private final LongSupplier nanoClock;
    private final CpuWindow cpu; // null: no CPU signal (tests, benchmarks)

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicEwma delayAverageNanos = new AtomicEwma();
    private final WindowMax delayMaxNanos;
    private final AtomicEwma lengthAverage = new AtomicEwma();
    private final WindowMax lengthMax;
    private final AtomicLong nextSampleAt;
    private final AtomicLong lastSampleAt;
    private final long windowNanos;
    /** Set once the length source knows its worker pool (Jetty at once, Tomcat after the first request). */
    private final AtomicReference<PoolWaitCanary> canary = new AtomicReference<>();
    /** Index into delaySources of the last source that knew a delay; -1 until one did. Written only on change. */
    private volatile int delaySourceInUse = -1;
    /** Set once a held request's time in the admission gate was recorded ({@link #recordHeld}). */
    private volatile boolean heldSeen;

    /**
     * @param lengthSource the container's queue length, or null to use the in-flight count
     * @param delaySources tried in order per request; the first that knows the arrival wins
     * @param nanoClock    {@code System::nanoTime} in production; the container sources compare against it
     */
    public LoadProbe(QueueLengthSource lengthSource, List<QueueDelaySource> delaySources, LongSupplier nanoClock,
            long windowMillis) {
        this(lengthSource, delaySources, null, nanoClock, windowMillis);
    }

    /** As above, with this process's CPU cgroup as {@code cpuGroup} finds it (null: no CPU signal). */
    LoadProbe(QueueLengthSource lengthSource, List<QueueDelaySource> delaySources,
            Supplier<CgroupCpu> cpuGroup, LongSupplier nanoClock, long windowMillis) {
        if (windowMillis < 2 * SAMPLE_INTERVAL_MILLIS) {
            throw new IllegalArgumentException("windowMillis must be at least " + 2 * SAMPLE_INTERVAL_MILLIS
                    + " ms, was " + windowMillis);
        }
        this.lengthSource = lengthSource;
        this.delaySources = delaySources.toArray(new QueueDelaySource[0]);
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        long now = nanoClock.getAsLong();
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.delayMaxNanos = new WindowMax(windowNanos, now);
        this.lengthMax = new WindowMax(windowNanos, now);
        this.nextSampleAt = new AtomicLong(now);
        this.lastSampleAt = new AtomicLong(now);
        this.cpu = cpuGroup == null ? null : new CpuWindow(cpuGroup, now);
    }

    /**
     * Picks the sources for the container that runs {@code ctx}: Jetty 12 ee10 or Tomcat 11 by the class of the
     * context, anything else gets the portable fallbacks.
     *
     * <p>When {@code trusted} names proxies, their {@code X-Request-Start} is tried <em>before</em> the container's
     * timestamp: both containers stamp an HTTP/1.1 request when a worker thread starts parsing it, i.e. after the
     * wait for a worker, so their figure misses exactly the queue we care about, while a front proxy's stamp
     * includes it. Requests without the header (or from untrusted addresses) still get the container's figure.
     */
    public static LoadProbe create(ServletContext ctx, TrustedProxies trusted, long windowMillis) {
        String container = ctx.getClass().getName();
        List<QueueDelaySource> delays = new ArrayList<>();
        if (trusted != null && !trusted.isEmpty()) {
            delays.add(XRequestStartHeader.systemClock(trusted));
        }
        QueueLengthSource length = null;
        if (container.startsWith(JettyNames.PACKAGE + ".")) {
            delays.add(new JettyRequestTimestamp());
            length = JettyThreadPoolQueueLength.from(ctx);
        } else if (container.startsWith("org.apache.catalina.")) {
            delays.add(new TomcatStartTime());
            length = new TomcatExecutorQueueLength();
        }
        return new LoadProbe(length, delays, CgroupCpu::ofThisProcess, System::nanoTime, windowMillis);
    }

    /** At filter entry, once per request. Never throws. Returns the entry time ({@code nanoClock}). */
    public long enter(HttpServletRequest request) {
        inFlight.incrementAndGet();
        long now = 0;
        try {
            now = nanoClock.getAsLong();
            if (lengthSource != null) {
                lengthSource.learnFrom(request);
            }
            recordDelay(request, now);
            maybeSampleQueueLength(now);
            if (cpu != null) {
                cpu.maybeSample(now);
            }
        } catch (RuntimeException e) {
            // A misbehaving request object must not fail the request; the figures just miss this one.
        }
        return now;
    }

    /** The clock the probe reads; the filter times service with it. */
    public long now() {
        return nanoClock.getAsLong();
    }

    /**
     * True when at least {@code atLeast} requests wait for a worker behind the current one: the pool is backed up.
     * False when the pool is not reachable (nothing known waits). Cheap enough for the request path.
     */
    public boolean backedUp(int atLeast) {
        return lengthSource != null && lengthSource.waiting() >= atLeast;
    }

    /**
     * The valve's question: is this server saturated, so that the current request served here would only add delay?
     * Yes when the pool is {@link #backedUp backed up} by {@code waiting} requests, or when the server's CPU cgroup
     * used (nearly) all its quota in the last 100 ms for its own requests ({@link CpuWindow}: the CPU of requests
     * moved here from peers does not count, so a peer never moves its own on because of load it was given).
     */
    public boolean saturated(int waiting) {
        return backedUp(waiting) || cpuHot();
    }

    /**
     * True if the server's CPU cgroup used (nearly) all its quota in the last 100 ms for its own requests; false
     * without a quota. Cheap enough for the request path.
     */
    public boolean cpuHot() {
        CpuWindow c = cpu;
        return c != null && c.hot();
    }

    /**
     * Workers that could start on another request now, beyond those running one (the caller's included): 0 when
     * this request took the pool's last free worker; -1 if the pool is not reachable. Atomic reads, no lock.
     */
    public int freeWorkers() {
        return lengthSource == null ? QueueLengthSource.UNKNOWN : lengthSource.freeWorkers();
    }

    /** {@link #movedInStarts}' answer when the request's CPU is not timed (no quota, or no thread CPU clock). */
    public static final long NOT_TIMED = MovedInCpu.NOT_TIMED;

    /**
     * A request moved here from a peer starts being served on this thread: on a CPU-capped server its CPU is timed
     * (the thread's CPU clock, about 0.2 µs a read here) and kept out of this server's own CPU signal
     * ({@link CpuWindow}); elsewhere nothing is read. Pass the answer to {@link #movedInEnds}.
     */
    public long movedInStarts() {
        CpuWindow c = cpu;
        return c == null ? NOT_TIMED : c.movedInStarts();
    }

    /** The moved-in request that {@link #movedInStarts} answered {@code started} for is done on this thread. */
    public void movedInEnds(long started) {
        CpuWindow c = cpu;
        if (c != null && started != NOT_TIMED) {
            c.movedInEnds(started);
        }
    }

    /**
     * True if the server's CPU cgroup used (nearly) all its quota in the last 100 ms, requests moved here included:
     * there is no room for more here (what a peer answers a proxying origin with). False without a quota.
     */
    public boolean cpuFull() {
        CpuWindow c = cpu;
        return c != null && c.full();
    }

    /**
     * The CPU the server's cgroup used in the last 100 ms as a share of what its quota allows (1 = all of it); 0 without
     * a quota; -1 where the probe has no CPU signal.
     */
    public double cpuQuotaLoad() {
        return cpu == null ? -1 : cpu.load();
    }

    /** Requests waiting for a worker now; -1 if the container's pool is not reachable. */
    public int waiting() {
        return lengthSource == null ? QueueLengthSource.UNKNOWN : lengthSource.waiting();
    }

    /** Workers running a job now; -1 if unknown. */
    public int busyWorkers() {
        return lengthSource == null ? QueueLengthSource.UNKNOWN : lengthSource.busyWorkers();
    }

    /** The pool's most workers; -1 if unknown. */
    public int maxWorkers() {
        return lengthSource == null ? QueueLengthSource.UNKNOWN : lengthSource.maxWorkers();
    }

    /** When the request is done (for async requests: from the AsyncListener), once per {@link #enter}. */
    public void exit() {
        inFlight.decrementAndGet();
    }

    /**
     * A request the filter's admission gate held for {@code heldNanos} before it was served or moved: with the gate
     * on the pool's queue stays empty and the wait is there, after the filter's entry, where no container stamp sees
     * it. It counts as one more queue-delay sample (the request's entry, nearly without wait, was one already).
     */
    public void recordHeld(long heldNanos) {
        try {
            long now = nanoClock.getAsLong();
            delayAverageNanos.add(heldNanos, DELAY_WEIGHT);
            delayMaxNanos.record(heldNanos, now);
            if (!heldSeen) {
                heldSeen = true;
            }
        } catch (RuntimeException e) {
            // never fails the request that leaves the gate
        }
    }

    private void recordDelay(HttpServletRequest request, long now) {
        QueueDelaySource[] sources = delaySources;
        for (int i = 0; i < sources.length; i++) {
            long delay = sources[i].delayNanos(request, now);
            if (delay >= 0) {
                delayAverageNanos.add(delay, DELAY_WEIGHT);
                delayMaxNanos.record(delay, now);
                if (delaySourceInUse != i) {
                    delaySourceInUse = i;
                }
                return;
            }
        }
    }

    private void maybeSampleQueueLength(long now) {
        long due = nextSampleAt.get();
        if (now - due < 0 || !nextSampleAt.compareAndSet(due, now + SAMPLE_INTERVAL_NANOS)) {
            return;
        }
        int length = queueLength();
        long dt = Math.max(0, now - lastSampleAt.getAndSet(now));
        lengthAverage.add(length, (double) dt / (dt + LENGTH_TIME_CONSTANT_NANOS));
        lengthMax.record(length, now);
        PoolWaitCanary c = canary();
        if (c != null) {
            c.maybeSubmit(now);
        }
    }

    private PoolWaitCanary canary() {
        PoolWaitCanary c = canary.get();
        if (c == null && lengthSource != null) {
            Executor pool = lengthSource.workerPool();
            if (pool != null) {
                canary.compareAndSet(null, new PoolWaitCanary(pool, nanoClock, windowNanos));
                c = canary.get();
            }
        }
        return c;
    }

    public int inFlight() {
        return Math.max(0, inFlight.get());
    }

    /** Live: the container's figure if reachable now, else the in-flight count. */
    public int queueLength() {
        int length = lengthSource == null ? QueueLengthSource.UNKNOWN : lengthSource.queueLength();
        return length >= 0 ? length : inFlight();
    }

    public String queueSource() {
        return lengthSource != null && lengthSource.queueLength() >= 0 ? lengthSource.name() : IN_FLIGHT;
    }

    public double queueLengthAverage() {
        long now = nanoClock.getAsLong();
        maybeSampleQueueLength(now);
        double average = lengthAverage.get();
        return Double.isNaN(average) ? queueLength() : average;
    }

    public int queueLengthMax() {
        long now = nanoClock.getAsLong();
        maybeSampleQueueLength(now);
        long max = lengthMax.max(now);
        return max >= 0 ? (int) max : queueLength();
    }

    /**
     * Smoothed queue delay in ms: the larger of the per-request figure and the pool wait. -1 if nothing knows
     * arrivals; 0 if nothing was seen waiting in the recent window.
     */
    public long queueDelayMillis() {
        long now = nanoClock.getAsLong();
        maybeSampleQueueLength(now);
        long perRequest = -1;
        if (delaySourceInUse >= 0 || heldSeen) {
            perRequest = delayMaxNanos.max(now) < 0 ? 0 : (long) delayAverageNanos.get();
        }
        PoolWaitCanary c = canary.get();
        long poolWait = c == null ? -1 : c.averageNanos(now);
        return toMillis(Math.max(perRequest, poolWait));
    }

    /** Largest queue delay in ms over the recent window; -1 / 0 as for {@link #queueDelayMillis()}. */
    public long queueDelayMaxMillis() {
        long now = nanoClock.getAsLong();
        maybeSampleQueueLength(now);
        long perRequest = -1;
        if (delaySourceInUse >= 0 || heldSeen) {
            perRequest = Math.max(0, delayMaxNanos.max(now));
        }
        PoolWaitCanary c = canary.get();
        long poolWait = c == null ? -1 : Math.max(0, c.maxNanos(now));
        return toMillis(Math.max(perRequest, poolWait));
    }

    private static long toMillis(long nanos) {
        return nanos < 0 ? -1 : Math.round(nanos / 1_000_000.0);
    }

    /**
     * The per-request source ({@code jetty-request-timestamp}, {@code tomcat-start-time}, {@code x-request-start}),
     * prefixed by {@code <queue source>-wait+} while the pool-wait canary runs, e.g.
     * {@code jetty-thread-pool-wait+jetty-request-timestamp}; {@code none} if neither knows anything.
     */
    public String queueDelaySource() {
        int i = delaySourceInUse;
        String perRequest = i < 0 ? null : delaySources[i].name();
        PoolWaitCanary c = canary.get();
        String poolWait = c == null ? null : lengthSource.name() + "-wait";
        if (poolWait == null) {
            return perRequest == null ? NONE : perRequest;
        }
        return perRequest == null ? poolWait : poolWait + "+" + perRequest;
    }
}
