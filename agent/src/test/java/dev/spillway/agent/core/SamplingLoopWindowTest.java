package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.sampling.LoadSource;
import dev.spillway.agent.sampling.QueueFigures;
import dev.spillway.settings.ConfigValues;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sampling loop as the manager sees it: the rates of a published regular sample cover the time since the window
 * began, and an over-budget alert begins a window with a sample of its own that it does not publish. A regular tick
 * a few ms after such an alert must not publish rates over those few ms (a hot host read as idle for a cycle). Time
 * and the scheduler are the test's: each task runs when the test's clock says, so the tick can fall exactly there.
 */
class SamplingLoopWindowTest {
    private static final long INTERVAL_MILLIS = 1_000;
    private static final long CHECK_MILLIS = 150; // apart from the alert's window: one-shots are told apart by delay
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private long now = -7_000 * MS; // System.nanoTime() may be negative
    private final ManualScheduler sampler = new ManualScheduler();
    private final FakeLoad load = new FakeLoad();

    /** A load source that, like the real one, measures each sample's rates over the time since its last sample. */
    private final class FakeLoad implements LoadSource {
        private final Map<HostLoad, Long> windowOf = new IdentityHashMap<>();
        private long lastSampleAt = Long.MIN_VALUE;
        double overBudgetTotal;
        double overBudgetRate;

        @Override
        public HostLoad sample() {
            HostLoad s = HostLoad.builder("h1").queueLength(2).waitingRequests(2).overBudgetRate(overBudgetRate)
                    .build();
            windowOf.put(s, lastSampleAt == Long.MIN_VALUE ? Long.MAX_VALUE : now - lastSampleAt);
            lastSampleAt = now;
            return s;
        }

        @Override
        public QueueFigures queueFigures() {
            return new QueueFigures(2, 0, overBudgetTotal, 2);
        }

        /** The window of the sample the loop publishes now, in ms. */
        long publishedWindowMillis(SamplingLoop loop) {
            Long w = windowOf.get(loop.latest());
            assertNotNull(w, "the loop publishes a sample it took");
            return w == Long.MAX_VALUE ? Long.MAX_VALUE : w / MS;
        }
    }

    @Test
    void aRegularTickJustAfterAnOverBudgetAlertDoesNotPublishTheAlertsFewMillisecondWindow() {
        AgentSettings settings = AgentSettings.from(ConfigValues.of(Map.of("host.id", "h1",
                "sample.interval", INTERVAL_MILLIS + "ms", "surge.check-interval", CHECK_MILLIS + "ms",
                "manager.url", "service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi")));
        SurgeWatch surge = new SurgeWatch();
        surge.marks(new SurgeWatch.Marks(1_000, 0)); // a manager that wants alerts; no surge mark is ever reached
        // Never started and its scheduler never runs: an alert to it goes nowhere.
        ManagerRegistration manager = new ManagerRegistration(settings, "service:jmx:test", new ManualScheduler(),
                surge, () -> { });
        SamplingLoop loop = new SamplingLoop(settings, sampler, load, surge, () -> manager, () -> now);
        loop.start();
        Runnable tick = sampler.periodic();

        // t=0: a regular sample; requests wait, so quick checks follow the over-budget count.
        tick.run();
        HostLoad first = loop.latest();
        assertEquals(1, loop.samples());
        List<Runnable> checks = sampler.takeOneShots(CHECK_MILLIS);
        assertEquals(1, checks.size(), "requests wait: a quick check follows");

        // t=990 ms (a late check on a busy machine): requests found no budget since the last look, an alert is due.
        now += 990 * MS;
        load.overBudgetTotal = 5;
        load.overBudgetRate = 20;
        checks.get(0).run();
        List<Runnable> alertSample = sampler.takeOneShots(SamplingLoop.RESIZE_WINDOW_MILLIS);
        assertEquals(1, alertSample.size(), "the alert waits for its window's sample");
        assertSame(first, loop.latest(), "the alert's window began with a sample that is not published");

        // t=1000 ms: the regular tick, 10 ms into the alert's window.
        now += 10 * MS;
        tick.run();
        long window = load.publishedWindowMillis(loop);
        assertTrue(window >= INTERVAL_MILLIS / 2,
                "a regular sample 10 ms after the alert began its window published rates over " + window + " ms");

        // t=990 ms + the window: the alert's sample, over its own window.
        long w = SamplingLoop.RESIZE_WINDOW_MILLIS;
        now += (w - 10) * MS;
        alertSample.get(0).run();
        assertEquals(w, load.publishedWindowMillis(loop));
        assertEquals(1, loop.overBudgetAlerts());

        // t=2000 ms: the next regular tick publishes again, over the time since the alert's sample.
        now += (1_010 - w) * MS;
        tick.run();
        assertEquals(1_010 - w, load.publishedWindowMillis(loop));
    }
}
