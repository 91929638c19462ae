package dev.spillway.agent.core;

import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.sampling.LoadSource;
import dev.spillway.agent.sampling.QueueFigures;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's sampling thread: a full sample every interval and, between samples while the figures keep the
 * {@link SurgeWatch} or the {@link OverBudgetWatch} armed, a chain of quick looks at the queue figures that alerts
 * the manager when a mark is reached or requests start to find no spill budget. A filter's over-budget push
 * ({@link FilterPushes}) reaches the over-budget watch at once, without a sample. Everything here runs on the one
 * sampler thread (the load sources are not thread-safe, and {@link #quickChecksRunning} needs no lock); the figures
 * are read from other threads through volatiles.
 */
final class SamplingLoop {
    private static final Logger LOG = Logger.getLogger(SamplingLoop.class.getName());
    /**
     * The window whose rates an over-budget alert carries: long enough for a rate, short next to a cycle. A step's
     * excess queues until the re-plan lands, and this window was most of that wait (250 ms of ~320 ms from the first
     * request over budget to the raised budget at the filter, BENCHMARKS.md 7, "Session 14"); 100 ms still holds ~20
     * over-budget requests of a 20-worker pool of 100 ms pages (each waits for a worker, so it is as many as that
     * pool serves) and one service time, in which every worker frees once.
     */
    static final long RESIZE_WINDOW_MILLIS = 100;

    private final ScheduledExecutorService sampler;
    private final LoadSource load;
    private final SurgeWatch surge;
    private final OverBudgetWatch overBudget = new OverBudgetWatch();
    private final long sampleIntervalMillis;
    private final long checkIntervalMillis;
    private final boolean managerConfigured;
    private final Supplier<ManagerRegistration> registration;
    private boolean quickChecksRunning;
    private final SampleWindow window;
    private final LongSupplier nanoClock;
    /** Subscribes to the filters' over-budget pushes after samples; null: no pushes (tests of the sampling alone). */
    private final FilterPushes pushes;
    // written on the sampler thread only
    private volatile HostLoad latest;
    private volatile long samples;
    private volatile long surgeChecks;

    /**
     * @param registration the manager registration once it exists (null before, or when no manager is configured)
     */
    SamplingLoop(AgentSettings settings, ScheduledExecutorService sampler, LoadSource load, SurgeWatch surge,
                 Supplier<ManagerRegistration> registration) {
        this(settings, sampler, load, surge, registration, System::nanoTime);
    }

    /** @param nanoClock when samples are taken ({@code System.nanoTime()}; tests drive it with the sampler) */
    SamplingLoop(AgentSettings settings, ScheduledExecutorService sampler, LoadSource load, SurgeWatch surge,
                 Supplier<ManagerRegistration> registration, LongSupplier nanoClock) {
        this(settings, sampler, load, surge, registration, nanoClock, null);
    }

    /** @param pushes the filters' over-budget pushes to subscribe to after samples (null: none) */
    SamplingLoop(AgentSettings settings, ScheduledExecutorService sampler, LoadSource load, SurgeWatch surge,
                 Supplier<ManagerRegistration> registration, LongSupplier nanoClock, FilterPushes pushes) {
        this.pushes = pushes;
        this.nanoClock = nanoClock;
        this.sampler = sampler;
        this.load = load;
        this.surge = surge;
        this.sampleIntervalMillis = settings.sampleInterval().toMillis();
        this.checkIntervalMillis = settings.surgeCheckInterval().toMillis();
        this.window = new SampleWindow(sampleIntervalMillis);
        this.managerConfigured = !settings.managerUrl().isEmpty();
        this.registration = registration;
        this.latest = HostLoad.builder(settings.hostId()).zone(settings.zone()).webBaseUrl(settings.webBaseUrl())
                .build();
    }

    void start() {
        sampler.scheduleAtFixedRate(this::sampleOnce, 0, sampleIntervalMillis, TimeUnit.MILLISECONDS);
    }

    /** New marks arrived: a first quick look before the next sample, if they arm the watch. */
    void marksChanged() {
        try {
            sampler.execute(this::startQuickChecks);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    HostLoad latest() {
        return latest;
    }

    long samples() {
        return samples;
    }

    long surgeChecks() {
        return surgeChecks;
    }

    /**
     * A filter pushed that a request found every budget spent ({@link FilterPushes}'s listener, any thread): judged
     * on the sampler thread like a quick look that saw the count rise, so its alert needs no sample to wait for.
     *
     * @param atMillis when that request found no budget (epoch ms)
     */
    void overBudgetPushed(long atMillis) {
        try {
            sampler.execute(() -> onOverBudgetPush(atMillis));
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void onOverBudgetPush(long atMillis) {
        ManagerRegistration r = registration.get();
        long now = System.currentTimeMillis();
        LOG.fine(() -> "over-budget push from a filter, " + (now - atMillis) + " ms after its request");
        if (r != null && managerConfigured && surge.enabled() && overBudget.pushed(now)) {
            alertOverBudgetSoon(r);
        }
        startQuickChecks(); // the push armed the watch: follow the count until the pool is quiet again
    }

    /** Alerts sent because requests found the permit's budgets spent. */
    long overBudgetAlerts() {
        return overBudget.alerts();
    }

    /** A regular sample, unless the current window is too young for rates ({@link SampleWindow}). */
    private void sampleOnce() {
        if (!window.regularSampleDue(nanoClock.getAsLong())) {
            return;
        }
        if (takeSample()) {
            if (pushes != null) {
                pushes.refresh();
            }
            watchSurge(new QueueFigures(latest.getQueueLength(), latest.getQueueDelayMillis()), false);
            watchOverBudget(latest);
            startQuickChecks();
        }
    }

    private boolean takeSample() {
        try {
            latest = load.sample();
            window.began(nanoClock.getAsLong());
            samples++;
            return true;
        } catch (RuntimeException e) {
            // One bad sample must not end the schedule (a thrown exception would cancel it for good).
            LOG.log(Level.WARNING, "sampling failed", e);
            return false;
        }
    }

    /**
     * Starts a short window for the alert's sample without publishing the sample that ends the current one: its
     * window may be a few milliseconds (an alert can come right after a regular sample), and the manager must not
     * read rates over that.
     */
    private void startWindow() {
        try {
            load.sample();
            // A regular sample in the next few ms would publish rates over those few ms: it waits for this window.
            window.began(nanoClock.getAsLong());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "sampling failed", e);
        }
    }

    /**
     * Quick checks only while armed: on this kind of machine even an empty timer wakeup costs ~0.2 ms of CPU, so a
     * periodic task would cost a quiet host as much as its samples do.
     */
    private void startQuickChecks() {
        if (checkIntervalMillis > 0 && !quickChecksRunning && armed()) {
            quickChecksRunning = true;
            if (overBudget.armed()) {
                quickLook(); // the over-budget count's starting point, so the first check can see it rise
            }
            scheduleQuickCheck();
        }
    }

    private boolean armed() {
        return surge.armed() || (surge.enabled() && overBudget.armed());
    }

    private void checkSurge() {
        surgeChecks++;
        quickLook();
        if (armed()) {
            scheduleQuickCheck();
        } else {
            quickChecksRunning = false;
        }
    }

    private void quickLook() {
        try {
            QueueFigures f = load.queueFigures();
            if (!watchSurge(f, true)) {
                watchOverBudget(f);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "surge check failed", e);
        }
    }

    private void scheduleQuickCheck() {
        try {
            sampler.schedule(this::checkSurge, checkIntervalMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            quickChecksRunning = false; // stopping
        }
    }

    /**
     * When a figure reaches the manager's surge mark, alert the manager, which then polls now instead of up to a
     * poll interval later; after a quick check, take a full sample first (the manager must read what the check saw).
     */
    private boolean watchSurge(QueueFigures f, boolean quick) {
        ManagerRegistration r = registration.get();
        if (r == null || !managerConfigured || !surge.enabled()) {
            return false;
        }
        if (surge.shouldAlert(f, System.currentTimeMillis())) {
            if (quick) {
                takeSample();
            }
            r.alert();
            LOG.info(() -> String.format(java.util.Locale.ROOT,
                    "surge: queue length %.0f, queue delay %.0f ms reached the manager's marks (%s); alerting it",
                    f.queueLength(), f.queueDelayMillis(), surge.marks()));
            return true;
        }
        return false;
    }

    /**
     * Requests found the pool backed up and every budget spent: the same alert, so the manager re-sizes the permits
     * now from a fresh sample (its over-budget rate is the demand the old budgets missed). Only to a manager that
     * gave surge marks: one that gives none wants no alerts (or predates them).
     */
    private void watchOverBudget(QueueFigures f) {
        ManagerRegistration r = registration.get();
        if (r != null && managerConfigured && surge.enabled() && overBudget.checked(f, System.currentTimeMillis())) {
            alertOverBudgetSoon(r);
        }
    }

    private void watchOverBudget(HostLoad sample) {
        ManagerRegistration r = registration.get();
        if (r != null && managerConfigured && surge.enabled()
                && overBudget.sampled(sample.getOverBudgetRate(), sample.getWaitingRequests(), sample.getQueueLength(),
                        System.currentTimeMillis())) {
            alertOverBudgetSoon(r);
        }
    }

    /**
     * A sample now starts a short window, and the alert goes with the sample that ends it: the last sample's rates
     * straddle the step (part of its interval came before it), so a re-plan sized from them fell short of the new
     * demand by up to half and took the next regular cycle to catch up; one window after the spills began, the
     * rates are the step's own. Costs {@value #RESIZE_WINDOW_MILLIS} ms of delay and two extra samples per alert.
     */
    private void alertOverBudgetSoon(ManagerRegistration r) {
        startWindow();
        try {
            sampler.schedule(() -> {
                takeSample();
                double rate = latest.getOverBudgetRate();
                if (overBudget.confirm(rate)) {
                    alertOverBudget(r, rate);
                } else {
                    LOG.fine("over budget a moment ago, but not in the window after it: no alert");
                }
            }, RESIZE_WINDOW_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void alertOverBudget(ManagerRegistration r, double rate) {
        r.alert();
        LOG.info(() -> String.format(java.util.Locale.ROOT,
                "over budget: %.1f requests/s found the pool backed up and no spill budget left; alerting the manager",
                rate));
    }
}
