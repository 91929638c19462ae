package dev.spillway.manager;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.manager.coordination.Leadership;
import dev.spillway.manager.policy.Candidate;
import dev.spillway.manager.policy.HostDecision;
import dev.spillway.manager.policy.Observation;
import dev.spillway.manager.policy.Policy;
import dev.spillway.manager.policy.SendReason;
import dev.spillway.manager.poll.AgentPoller;
import dev.spillway.manager.poll.HostEntry;
import dev.spillway.manager.poll.HostTable;
import dev.spillway.manager.poll.PollResult;
import dev.spillway.manager.pool.PoolState;
import dev.spillway.manager.pool.SparePool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The poll-and-decide cycle, once per interval on one thread: poll every host (in parallel, bounded by
 * {@code poll.timeout}), let the {@link Policy} decide, push the directives that are new or due for renewal, then
 * publish an immutable view for the API, dashboard and metrics. The I/O is here; every decision is in the policy.
 *
 * <p>An agent that sees a surge {@link #nudge}s the loop: the next cycle runs now instead of up to an interval
 * later, and the regular rhythm resumes one interval after it. At most two early cycles run between two regular
 * ones, the second only for an alert from a host the first had not heard (a step often reaches two hot hosts a few
 * hundred ms apart: with one early cycle, the second host's budgets waited up to an interval for the regular cycle,
 * its queue growing meanwhile), and never within a tenth of an interval of the last cycle, so alerts can at most
 * triple the cycle rate; one host's repeated alerts never bring more than one.
 */
public final class ControlLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager");

    private final ManagerConfig config;
    private final HostTable table;
    private final AgentPoller poller;
    private final Policy policy;
    private final DecisionLog decisions;
    private final History history;
    private final Leadership leadership;
    private final Map<String, HostLoad> lastLoads = new HashMap<>();
    /** How long each host's agent took to answer its last successful read, beside {@link #lastLoads}. */
    private final Map<String, Double> lastPollMillis = new HashMap<>();
    private volatile SparePool pool;
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spillway-cycle");
        t.setDaemon(true);
        return t;
    });
    // Touched on the timer thread only.
    private ScheduledFuture<?> nextRegular;
    private long lastStartNanos;
    private int earlySinceRegular;
    private boolean earlyPending;
    /** Hosts that alerted since the last cycle started, and those an early cycle since the last regular one heard. */
    private final Set<String> alerted = new java.util.HashSet<>();
    private final Set<String> heardEarly = new java.util.HashSet<>();
    // Written on the timer thread only, read by anyone.
    private volatile List<HostView> views = List.of();
    private volatile long earlyCycles;
    private volatile long cycles;
    private volatile long lastCycleMillis;
    private volatile Phases lastPhases = new Phases(0, 0, 0, 0, 0, Map.of());
    /** Sends that reached their host since start, by why they went out (written on the timer thread only). */
    private final java.util.concurrent.atomic.AtomicLongArray sentBy =
            new java.util.concurrent.atomic.AtomicLongArray(SendReason.values().length);

    /**
     * Where the last cycle's time went, in microseconds of wall time, how many directives it sent, and why (each
     * attempted send by its {@link SendReason}; none left out): so the benchmark (and whoever tunes a large farm)
     * sees which part grows with the number of hosts, and whether the sends are the leases' renewals or changes.
     */
    public record Phases(long pollMicros, long decideMicros, long pushMicros, long publishMicros, int pushes,
                         Map<SendReason, Integer> pushesBy) {
        public Phases {
            pushesBy = Map.copyOf(pushesBy);
        }
    }

    public ControlLoop(ManagerConfig config, HostTable table, AgentPoller poller, DecisionLog decisions,
                       History history) {
        this(config, table, poller, decisions, history, Leadership.SOLE);
    }

    /** @param leadership asked once per cycle whether (and under which epoch) this manager may send */
    public ControlLoop(ManagerConfig config, HostTable table, AgentPoller poller, DecisionLog decisions,
                       History history, Leadership leadership) {
        this.leadership = leadership;
        this.config = config;
        this.table = table;
        this.poller = poller;
        this.policy = new Policy(config.policy());
        this.decisions = decisions;
        this.history = history;
    }

    /** The spare pool this loop consults every cycle (set before {@link #start}); null: no pool. */
    void usePool(SparePool pool) {
        this.pool = pool;
    }

    /** The spare pool, or null without one. */
    SparePool sparePool() {
        return pool;
    }

    /** The spare pool as of the last cycle ({@link PoolState#OFF} without one). */
    public PoolState poolState() {
        SparePool p = pool;
        return p == null ? PoolState.OFF : p.state();
    }

    /** The pool's kept events numbered above {@code seq}, oldest first (none without a pool). */
    public List<dev.spillway.manager.pool.PoolEvent> poolEventsAfter(long seq) {
        SparePool p = pool;
        return p == null ? List.of() : p.events().after(seq);
    }

    public void start() {
        timer.execute(this::regularCycle);
    }

    /** Brings the next cycle forward on {@code hostId}'s alert (a surge); see the class comment for the limits. */
    public void nudge(String hostId) {
        try {
            timer.execute(() -> {
                alerted.add(hostId);
                if (!earlyPending) {
                    earlyCycle();
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void regularCycle() {
        earlySinceRegular = 0;
        heardEarly.clear();
        timedCycle();
    }

    private void earlyCycle() {
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(config.intervalMillis());
        long sinceLast = System.nanoTime() - lastStartNanos;
        long minGap = intervalNanos / 10;
        boolean newHost = !heardEarly.containsAll(alerted);
        if (earlySinceRegular >= 2 || (earlySinceRegular == 1 && !newHost) || nextRegular == null
                || nextRegular.getDelay(TimeUnit.NANOSECONDS) <= minGap) {
            LOG.log(System.Logger.Level.DEBUG, "alert: no early cycle (two ran since the last regular one, or one"
                    + " that heard every alerting host, or the regular one is due)");
            return; // the regular one is about to run anyway, or takes these alerts in its turn
        }
        if (sinceLast < minGap) {
            earlyPending = true;
            timer.schedule(() -> {
                earlyPending = false;
                earlyCycle();
            }, minGap - sinceLast, TimeUnit.NANOSECONDS);
            return;
        }
        nextRegular.cancel(false);
        earlySinceRegular++;
        heardEarly.addAll(alerted);
        earlyCycles++;
        LOG.log(System.Logger.Level.DEBUG, "early cycle (an agent's alert) starts");
        long started = System.nanoTime();
        timedCycle();
        // DEBUG: with the agent's "over budget" line and the filter's "permit in force" it times an alert's path
        LOG.log(System.Logger.Level.DEBUG, () -> "early cycle ended after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    }

    private void timedCycle() {
        long start = System.nanoTime();
        lastStartNanos = start;
        alerted.clear(); // this cycle polls them all afresh
        cycleSafely();
        long delay = start + TimeUnit.MILLISECONDS.toNanos(config.intervalMillis()) - System.nanoTime();
        try {
            nextRegular = timer.schedule(this::regularCycle, Math.max(0, delay), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void cycleSafely() {
        try {
            runCycle();
        } catch (RuntimeException e) {
            // a bug in one cycle must not end the schedule (scheduleAtFixedRate stops on a thrown exception)
            LOG.log(System.Logger.Level.ERROR, "cycle failed", e);
        }
    }

    /**
     * Runs one cycle now, on the cycle thread, and returns when it is done: for a caller that drives the cycles
     * itself (the benchmark, with the loop not started). The policy is single-threaded, so a cycle never runs
     * anywhere else.
     *
     * @throws IllegalStateException when the loop is closed
     */
    public void runCycleNow() throws InterruptedException {
        try {
            timer.submit(this::runCycle).get();
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the control loop is closed", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    // On the timer thread only: it is the only writer of the volatile counters, so cycles++ loses nothing.
    private void runCycle() {
        long started = System.nanoTime();
        long now = System.currentTimeMillis();
        table.expire(now);
        List<HostEntry> hosts = table.entries();
        List<PollResult> results = poller.pollAll(hosts, config.pollTimeoutMillis());
        long polled = System.nanoTime();

        List<Observation> observations = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            HostEntry h = hosts.get(i);
            PollResult r = results.get(i);
            boolean drained = table.isDrained(h.id());
            String zone = h.zoneOr(r.load() == null ? null : r.load().getZone());
            if (r.load() != null) {
                lastLoads.put(h.id(), r.load());
                lastPollMillis.put(h.id(), r.answerMillis());
                lastSeen.put(h.id(), now);
                observations.add(Observation.polled(h.id(), zone, r.load(), drained));
            } else {
                observations.add(Observation.missed(h.id(), zone, r.error(), drained));
            }
        }
        // Only a leader sends and changes the pool (coordination/): a follower decides the same way but keeps it to
        // itself, so its view is warm and, once it leads, everything it would have sent goes out in its first cycle.
        long epoch = leadership.sendingEpoch();
        if (pool != null) { // the pool may allocate or release, and marks every host that is not a member spare
            observations = pool.mark(now, hosts, observations, policy.capacities(), epoch);
        }
        List<HostDecision> decided = policy.decide(now, observations);
        long decidedAt = System.nanoTime();

        Map<String, Directive> pushes = new HashMap<>();
        Map<String, SendReason> why = new HashMap<>();
        Map<SendReason, Integer> pushesBy = new java.util.EnumMap<>(SendReason.class);
        for (HostDecision d : decided) {
            if (d.push() && epoch != Leadership.NOT_LEADING) {
                pushes.put(d.id(), d.directive().withEpoch(epoch));
                why.put(d.id(), d.send());
                pushesBy.merge(d.send(), 1, Integer::sum);
            }
        }
        if (!pushes.isEmpty()) {
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            long budget = Math.max(10, Math.min(config.pollTimeoutMillis(), config.intervalMillis() - elapsed - 10));
            Set<String> delivered = poller.pushAll(pushes, hosts, budget);
            delivered.forEach(id -> {
                policy.sent(id, pushes.get(id), now);
                sentBy.incrementAndGet(why.get(id).ordinal());
            });
        }
        long pushed = System.nanoTime();
        publish(now, hosts, results, decided);
        long ended = System.nanoTime();
        lastPhases = new Phases(micros(polled - started), micros(decidedAt - polled), micros(pushed - decidedAt),
                micros(ended - pushed), pushes.size(), pushesBy);
        lastCycleMillis = TimeUnit.NANOSECONDS.toMillis(ended - started);
        cycles++;
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }

    private void publish(long now, List<HostEntry> hosts, List<PollResult> results, List<HostDecision> decided) {
        lastLoads.keySet().retainAll(hosts.stream().map(HostEntry::id).collect(Collectors.toSet()));
        lastSeen.keySet().retainAll(lastLoads.keySet());
        lastPollMillis.keySet().retainAll(lastLoads.keySet());
        List<HostView> out = new ArrayList<>(hosts.size());
        Map<String, dev.spillway.manager.policy.Capacity> capacities = policy.capacities();
        for (int i = 0; i < hosts.size(); i++) {
            HostEntry h = hosts.get(i);
            HostDecision d = decided.get(i);
            out.add(new HostView(h, d.state(), lastLoads.get(h.id()), d.stress(), d.directive(), d.reason(),
                    results.get(i).error(), lastSeen.getOrDefault(h.id(), 0L), table.isDrained(h.id()),
                    capacities.getOrDefault(h.id(), dev.spillway.manager.policy.Capacity.UNKNOWN),
                    lastPollMillis.getOrDefault(h.id(), Double.NaN)));
            if (d.logLine() != null) {
                decisions.add(now, h.id(), d.logLine());
            }
        }
        views = List.copyOf(out);
        history.record(now, views);
    }

    public List<HostView> views() {
        return views;
    }

    /** The policy's selection score of a host (what {@link #route} orders by). */
    public double score(Candidate c) {
        return policy.score(c);
    }

    public List<Candidate> route(String zone) {
        return policy.route(zone);
    }

    /** Cycles run early because an agent alerted. */
    public long earlyCycles() {
        return earlyCycles;
    }

    public long cycles() {
        return cycles;
    }

    public long lastCycleMillis() {
        return lastCycleMillis;
    }

    /** The policy's dry-run view: on or off, and what the last cycle would have sent (see Policy#wouldSend). */
    public boolean dryRun() {
        return policy.dryRun();
    }

    public Map<String, Directive> wouldSend() {
        return policy.wouldSend();
    }

    /** Directives and permits that reached their host since this loop started, sent for {@code reason}. */
    public long sent(SendReason reason) {
        return sentBy.get(reason.ordinal());
    }

    public Phases lastPhases() {
        return lastPhases;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            // wait for a running cycle, so nothing is pushed after close() returns
            timer.awaitTermination(config.intervalMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
