package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.testkit.Await;

/** The same expectations for every container; the container tests only start servers. */
final class ContainerProbeChecks {
    static final int CONCURRENT = 24;
    /** How long the burst keeps every worker held once the queue is seen backed up: the least any waiter waits. */
    static final long HOLD_MILLIS = 1_000;

    private ContainerProbeChecks() {
    }

    /**
     * @param workers threads that can run requests (pool size minus threads the container keeps for itself)
     */
    static LoadDriver.Observed saturateAndRecover(LoadDriver driver, int workers, boolean stamp, String queueSource,
            String delaySource) throws Exception {
        driver.get(0); // first request resolves request-based sources and warms up
        LoadDriver.Observed o = driver.burst(CONCURRENT, workers + 4, HOLD_MILLIS, stamp);
        System.out.println(queueSource + "/" + delaySource + " under load: " + o);

        assertEquals(queueSource, o.queueSource(), "queue length must come from the container, not the fallback");
        assertEquals(delaySource, o.queueDelaySource());
        // All requests are in the container at once (held until the test lets them go, so the moment lasts however
        // slow the machine): far more than the workers, never more than were sent (+1 for the probe's own canary
        // job), which also shows selector/acceptor threads are not counted.
        assertTrue(o.backedUp() && o.maxLiveQueueLength() <= CONCURRENT + 1,
                "live queue length " + o.maxLiveQueueLength() + " at most, for " + CONCURRENT + " requests held on "
                        + workers + " workers (expected " + (workers + 4) + " to " + (CONCURRENT + 1) + ")");
        assertTrue(o.maxQueueLengthMax() >= workers + 4, "largest recent max " + o.maxQueueLengthMax());
        assertTrue(o.queueDelayMaxMillis() >= 0, "a known source never reads -1");

        // Load over: after one window the recent figures have forgotten it. The live length is a moment's reading,
        // and a busy machine may briefly hold a container job of its own (closing a connection, the canary) in the
        // queue, so the quiet figures are awaited (a generous bound: it catches figures that stick, not slowness).
        LoadProbe probe = ProbingFilter.PROBE.get();
        String[] quiet = {"not read yet"};
        boolean settled = Await.eventually(Await.PATIENCE_MILLIS, () -> {
            try {
                driver.get(0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            quiet[0] = quietFiguresProblem(probe);
            return quiet[0] == null;
        });
        assertTrue(settled, "figures after the load must return to quiet: " + quiet[0]);
        return o;
    }

    private static String quietFiguresProblem(LoadProbe probe) {
        if (probe.queueLength() > 1) {
            return "live queue length after load " + probe.queueLength();
        }
        if (probe.queueLengthMax() > 2) {
            return "recent max after load " + probe.queueLengthMax();
        }
        if (probe.queueDelayMaxMillis() >= HOLD_MILLIS / 2) {
            return "recent delay after load " + probe.queueDelayMaxMillis();
        }
        if (probe.inFlight() != 0) {
            return "in flight after load " + probe.inFlight();
        }
        return null;
    }

    /**
     * Every request stamped by the client that waited for a worker was held in the queue for at least
     * {@link #HOLD_MILLIS}: the largest delay must show all of it.
     */
    static void headerShowsWaitForWorkers(LoadDriver.Observed o) {
        assertTrue(o.queueDelayMaxMillis() >= HOLD_MILLIS,
                "queue delay max " + o.queueDelayMaxMillis() + " ms, the waiting requests waited " + HOLD_MILLIS
                        + " ms at least");
        assertTrue(o.queueDelayMillis() > 0, "smoothed delay " + o.queueDelayMillis());
    }

    /**
     * The canary times a job entering the pool when it is sent, not every request: one sent while every worker was
     * held waited until they were let go, most of {@link #HOLD_MILLIS} (a canary goes out per sampling interval).
     */
    static void canaryShowsWaitForWorkers(LoadDriver.Observed o) {
        assertTrue(o.queueDelayMaxMillis() >= HOLD_MILLIS / 2,
                "queue delay max " + o.queueDelayMaxMillis() + " ms while every worker was held " + HOLD_MILLIS
                        + " ms");
        assertTrue(o.queueDelayMillis() > 0, "smoothed delay " + o.queueDelayMillis());
    }
}
