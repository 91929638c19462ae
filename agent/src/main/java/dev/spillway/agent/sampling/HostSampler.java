package dev.spillway.agent.sampling;

import dev.spillway.agent.contract.HostLoad;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Combines the platform figures, the filter and container figures of every watched JVM and the health probes into
 * one {@link HostLoad}. How figures combine:
 * <ul>
 *   <li>per JVM, the queue is the largest container-wide queue any filter reports (they all see the same pool),
 *       or else the sum of per-webapp queues; with no filter, the container's thread-pool queue if it has one;</li>
 *   <li>across JVMs, queues, in-flight, sessions and rates add up; queue delays take the worst;</li>
 *   <li>a JVM that cannot be read adds nothing, and a figure nobody reported stays unknown;</li>
 *   <li>CPU and memory are those of the watched JVMs' cgroup where it limits them ({@link HostCgroups}), else the
 *       machine's; the runtime CPU is the part of that CPU figure the JVMs' JIT and GC threads used
 *       ({@link RuntimeThreads}).</li>
 * </ul>
 */
public final class HostSampler implements LoadSource {
    private static final Logger LOG = Logger.getLogger(HostSampler.class.getName());

    private final String hostId;
    private final String zone;
    private final String webBaseUrl;
    private final PlatformSampler platform;
    private final HostCgroups cgroups;
    private final List<JvmReader> jvms;
    private final HealthProbe health;
    private final HealthProbe appHealth;
    private final LongSupplier clock;
    private final long configuredSessionCapacity;
    private final CounterRates requestRates = new CounterRates();
    private final CounterRates errorRates = new CounterRates();
    private final CounterRates servedRates = new CounterRates();
    private final CounterRates serviceMicroRates = new CounterRates();
    private final CounterRates movedRates = new CounterRates();
    private final CounterRates overBudgetRates = new CounterRates();
    private final CounterRates movedInRates = new CounterRates();
    /** False when a filter that counts requests did not count its moved-in ones (an older JAR) in this sample. */
    private boolean movedInCounted;
    private final CounterRates runtimeTicks = new CounterRates();
    private final RuntimeThreads runtimeThreads = new RuntimeThreads(java.nio.file.Path.of("/proc"));
    private final java.util.Map<String, CounterRates> movedToRates = new java.util.TreeMap<>();
    private final java.util.Map<String, CounterRates> declineRates = new java.util.TreeMap<>();

    public HostSampler(String hostId, String zone, String webBaseUrl, PlatformSampler platform, List<JvmReader> jvms,
                       HealthProbe health, HealthProbe appHealth, LongSupplier clock) {
        this(hostId, zone, webBaseUrl, platform, new HostCgroups(new CgroupLocator()), jvms, health, appHealth, clock);
    }

    /** @param cgroups finds the cgroup the watched JVMs run in, for the platform's CPU and memory */
    public HostSampler(String hostId, String zone, String webBaseUrl, PlatformSampler platform, HostCgroups cgroups,
                       List<JvmReader> jvms, HealthProbe health, HealthProbe appHealth, LongSupplier clock) {
        this(hostId, zone, webBaseUrl, platform, cgroups, jvms, health, appHealth, clock, -1);
    }

    /**
     * @param configuredSessionCapacity the operator's session capacity (agent {@code sessions.capacity}), reported
     *                                  when no watched container reports a limit of its own; -1 when not set
     */
    public HostSampler(String hostId, String zone, String webBaseUrl, PlatformSampler platform, HostCgroups cgroups,
                       List<JvmReader> jvms, HealthProbe health, HealthProbe appHealth, LongSupplier clock,
                       long configuredSessionCapacity) {
        this.configuredSessionCapacity = configuredSessionCapacity;
        this.cgroups = cgroups;
        this.hostId = hostId;
        this.zone = zone;
        this.webBaseUrl = webBaseUrl;
        this.platform = platform;
        this.jvms = List.copyOf(jvms);
        this.health = health;
        this.appHealth = appHealth;
        this.clock = clock;
    }

    @Override
    public HostLoad sample() {
        long now = clock.getAsLong();
        HostLoad.Builder b = HostLoad.builder(hostId).zone(zone).webBaseUrl(webBaseUrl).timestampMillis(now);
        Totals t = new Totals();
        List<JvmProcess> processes = new ArrayList<>(jvms.size());
        requestRates.begin();
        errorRates.begin();
        servedRates.begin();
        serviceMicroRates.begin();
        movedRates.begin();
        overBudgetRates.begin();
        movedInRates.begin();
        movedInCounted = true;
        runtimeTicks.begin();
        movedToRates.values().forEach(CounterRates::begin);
        declineRates.values().forEach(CounterRates::begin);
        for (JvmReader jvm : jvms) {
            try {
                readJvm(jvm, t);
                JvmProcess p = platform == null ? null : jvm.readProcess();
                if (p != null) {
                    processes.add(p);
                    runtimeThreads.addTo(runtimeTicks, p.pid());
                }
            } catch (IOException | RuntimeException e) {
                jvm.forgetProcess();
                jvm.jvm().broken();
                LOG.log(Level.FINE, () -> "cannot read " + jvm.jvm().describe() + ": " + e);
            }
        }
        if (platform != null) {
            platform.sample(b, cgroups.of(processes));
        }
        double ticksPerSecond = runtimeTicks.end(now);
        if (platform != null) {
            // CPUs the JIT and GC used, as a share of the CPUs the CPU figure is a share of (its quota, or the machine)
            b.runtimeCpu(ticksPerSecond / RuntimeThreads.TICKS_PER_SECOND / platform.cpuScale());
        }
        b.requestRate(requestRates.end(now));
        b.errorRate(errorRates.end(now));
        double served = servedRates.end(now);
        double micros = serviceMicroRates.end(now);
        // mean service time over the interval: time spent serving / requests served, both over the same interval
        b.serviceTimeMillis(served > 0 && micros >= 0 ? micros / served / 1000.0 : Double.NaN);
        b.movedRate(movedRates.end(now));
        b.overBudgetRate(overBudgetRates.end(now));
        double movedIn = movedInRates.end(now);
        // a part of the requests uncounted would read as load of the host's own: unknown rather than low
        b.movedInRate(movedInCounted ? movedIn : Double.NaN);
        movedTo(b, now);
        declines(b, now);
        t.fill(b);
        if (t.capacity < 0 && configuredSessionCapacity >= 0) {
            b.sessionCapacity(configuredSessionCapacity); // Jetty has no session limit to report: the operator's
        }
        applyHealth(b);
        return b.build();
    }

    private void movedTo(HostLoad.Builder b, long now) {
        KeyedRates r = KeyedRates.of(movedToRates, now);
        b.movedToPeers(r.keys()).movedToRates(r.rates());
    }

    private void declines(HostLoad.Builder b, long now) {
        KeyedRates r = KeyedRates.of(declineRates, now);
        b.declineReasons(r.keys()).declineRates(r.rates());
    }

    /** Per key (a peer id, a reason), the positive rates of the interval that ends now, as parallel arrays. */
    private record KeyedRates(String[] keys, double[] rates) {
        static KeyedRates of(java.util.Map<String, CounterRates> counters, long now) {
            java.util.List<String> keys = new java.util.ArrayList<>();
            java.util.List<Double> rates = new java.util.ArrayList<>();
            for (java.util.Map.Entry<String, CounterRates> e : counters.entrySet()) {
                double r = e.getValue().end(now);
                if (!Double.isNaN(r) && r > 0) {
                    keys.add(e.getKey());
                    rates.add(r);
                }
            }
            return new KeyedRates(keys.toArray(new String[0]), rates.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** Same per-JVM rules as {@link #sample()} for the filters' queue figures; JVMs without a filter add nothing. */
    @Override
    public QueueFigures queueFigures() {
        double queue = Double.NaN;
        double delay = Double.NaN;
        double overBudget = Double.NaN;
        double waiting = Double.NaN;
        for (JvmReader jvm : jvms) {
            try {
                List<FilterFigures> filters = jvm.readFilterQueues();
                queue = sum(queue, filterQueue(filters));
                FilterFigures.Pool pool = FilterFigures.Pool.UNKNOWN;
                for (FilterFigures f : filters) {
                    pool = maxPool(pool, f.pool()); // every webapp of a JVM sees the same pool: once per JVM
                    delay = max(delay, f.queueDelayMillis());
                    if (f.work().overBudget() >= 0) {
                        overBudget = sum(overBudget, f.work().overBudget());
                    }
                }
                if (pool.waiting() >= 0) {
                    waiting = sum(waiting, pool.waiting());
                }
            } catch (IOException | RuntimeException e) {
                // the full sample marks the connection broken and logs; a quick check only skips the JVM
            }
        }
        return new QueueFigures(queue, delay, overBudget, waiting);
    }

    /** One JVM's queue: the largest container-wide queue any filter reports, or else the sum of per-webapp queues. */
    private static double filterQueue(List<FilterFigures> filters) {
        double wideQueue = Double.NaN;
        double ownQueue = Double.NaN;
        for (FilterFigures f : filters) {
            if (f.queueIsContainerWide()) {
                wideQueue = max(wideQueue, f.queueLength());
            } else {
                ownQueue = sum(ownQueue, f.queueLength());
            }
        }
        return max(wideQueue, ownQueue);
    }

    private void readJvm(JvmReader jvm, Totals t) throws IOException {
        List<FilterFigures> filters = jvm.readFilters();
        FilterFigures.Pool pool = FilterFigures.Pool.UNKNOWN;
        ContainerFigures container = jvm.readContainer();
        long wideMax = -1;
        long ownMax = -1;
        for (FilterFigures f : filters) {
            if (f.queueIsContainerWide()) {
                wideMax = Math.max(wideMax, f.queueLengthMax());
            } else {
                ownMax = f.queueLengthMax() < 0 ? ownMax : Math.max(ownMax, 0) + f.queueLengthMax();
            }
            t.queueDelay = max(t.queueDelay, f.queueDelayMillis());
            t.queueDelayMax = max(t.queueDelayMax, f.queueDelayMaxMillis());
            if (f.inFlight() >= 0) {
                t.inFlight = Math.max(t.inFlight, 0) + f.inFlight();
            }
            requestRates.add(f.name(), f.requests());
            errorRates.add(f.name(), f.errors());
            servedRates.add(f.name(), f.work().servedHere());
            serviceMicroRates.add(f.name(), f.work().serviceMicros());
            movedRates.add(f.name(), f.work().moved());
            overBudgetRates.add(f.name(), f.work().overBudget());
            movedInRates.add(f.name(), f.work().movedIn());
            if (f.requests() >= 0 && f.work().movedIn() < 0) {
                movedInCounted = false;
            }
            for (java.util.Map.Entry<String, Long> e : f.movedTo().entrySet()) {
                movedToRates.computeIfAbsent(e.getKey(), k -> new CounterRates()).add(f.name(), e.getValue());
            }
            for (java.util.Map.Entry<String, Long> e : f.declined().entrySet()) {
                declineRates.computeIfAbsent(e.getKey(), k -> new CounterRates()).add(f.name(), e.getValue());
            }
            // every webapp of a JVM sees the same container pool: take it once (the largest reading), not per webapp
            pool = maxPool(pool, f.pool());
            t.mode(f.directiveMode());
            t.filters++;
        }
        double queue = filterQueue(filters);
        long queueMax = Math.max(wideMax, ownMax);
        if (filters.isEmpty() && !Double.isNaN(container.threadPoolQueue())) {
            queue = container.threadPoolQueue();
            queueMax = (long) queue;
        }
        t.addPool(pool);
        t.queue = sum(t.queue, queue);
        if (queueMax >= 0) {
            t.queueMax = Math.max(t.queueMax, 0) + queueMax;
        }
        if (container.activeSessions() >= 0) {
            t.sessions = Math.max(t.sessions, 0) + container.activeSessions();
        }
        if (container.sessionCapacity() >= 0) {
            t.capacity = Math.max(t.capacity, 0) + container.sessionCapacity();
        }
    }

    private void applyHealth(HostLoad.Builder b) {
        if (health != null) {
            HealthResult h = health.latest();
            b.healthUp(h.up()).healthStatus(h.status()).healthResponseMillis(h.responseMillis())
                    .healthBaselineMillis(h.baselineMillis());
            health.kick();
        }
        if (appHealth != null) {
            HealthResult h = appHealth.latest();
            b.appHealthUp(h.up()).appHealthStatus(h.status()).appHealthResponseMillis(h.responseMillis());
            appHealth.kick();
        }
    }

    private static FilterFigures.Pool maxPool(FilterFigures.Pool a, FilterFigures.Pool b) {
        return new FilterFigures.Pool(Math.max(a.waiting(), b.waiting()), Math.max(a.busy(), b.busy()),
                Math.max(a.max(), b.max()));
    }

    // NaN means "nobody said": it must not swallow a known figure, and two unknowns stay unknown.
    static double sum(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : a + b;
    }

    static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static final class Totals {
        double queue = Double.NaN;
        long queueMax = -1;
        double queueDelay = Double.NaN;
        double queueDelayMax = Double.NaN;
        long inFlight = -1;
        long sessions = -1;
        long capacity = -1;
        String mode;
        int filters;
        long waiting = -1;
        long busy = -1;
        long maxWorkers = -1;

        // JVMs are separate pools: their figures add up
        void addPool(FilterFigures.Pool p) {
            waiting = p.waiting() < 0 ? waiting : Math.max(waiting, 0) + p.waiting();
            busy = p.busy() < 0 ? busy : Math.max(busy, 0) + p.busy();
            maxWorkers = p.max() < 0 ? maxWorkers : Math.max(maxWorkers, 0) + p.max();
        }

        void mode(String m) {
            if (m == null || m.isEmpty()) {
                return;
            }
            mode = mode == null || mode.equals(m) ? m : "MIXED";
        }

        void fill(HostLoad.Builder b) {
            b.queueLength(queue).queueLengthMax(queueMax).queueDelayMillis(queueDelay)
                    .queueDelayMaxMillis(queueDelayMax).inFlight(inFlight).activeSessions(sessions)
                    .sessionCapacity(capacity).filters(filters)
                    .waitingRequests(waiting < 0 ? Double.NaN : waiting).busyWorkers(busy).maxWorkers(maxWorkers);
            if (mode != null) {
                b.directiveMode(mode);
            }
        }
    }
}
