package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PoolWaitCanaryTest {
    private final FakeClock clock = new FakeClock();
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    private final PoolWaitCanary canary = new PoolWaitCanary(queued::add, clock, TimeUnit.SECONDS.toNanos(1));

    private long now() {
        return clock.getAsLong();
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    void unknownBeforeTheFirstCanary() {
        assertEquals(-1, canary.averageNanos(now()));
        assertEquals(-1, canary.maxNanos(now()));
    }

    @Test
    void timesTheWaitOfOneJobThroughThePool() {
        canary.maybeSubmit(now());
        clock.advanceMillis(300);
        queued.poll().run();
        assertEquals(300, ms(canary.averageNanos(now())));
        assertEquals(300, ms(canary.maxNanos(now())));
    }

    @Test
    void atMostOneCanaryWaitsAndItsAgeShowsLive() {
        canary.maybeSubmit(now());
        clock.advanceMillis(50);
        canary.maybeSubmit(now());
        assertEquals(1, queued.size());
        clock.advanceMillis(1950);
        assertEquals(2000, ms(canary.maxNanos(now())), "a stuck pool reads as a growing wait");
        assertEquals(2000, ms(canary.averageNanos(now())));
    }

    @Test
    void averageWeighsEachCanaryOneQuarter() {
        canary.maybeSubmit(now());
        clock.advanceMillis(400);
        queued.poll().run(); // first: 400
        canary.maybeSubmit(now());
        queued.poll().run(); // 400 + (0 - 400) / 4 = 300
        assertEquals(300, ms(canary.averageNanos(now())));
    }

    @Test
    void aLongerWaitCountsAtOnceAndTheAverageDoesNotDipAfterIt() {
        canary.maybeSubmit(now());
        clock.advanceMillis(100);
        queued.poll().run(); // 100
        canary.maybeSubmit(now());
        clock.advanceMillis(400);
        assertEquals(400, ms(canary.averageNanos(now())), "while waiting: its age");
        queued.poll().run();
        assertEquals(400, ms(canary.averageNanos(now())), "completed: the longer wait at once, not 100 + 300 / 4");
        canary.maybeSubmit(now());
        assertEquals(400, ms(canary.averageNanos(now())), "the next canary just sent: no dip to 0 or to an average");
        queued.poll().run(); // 0: down a quarter
        assertEquals(300, ms(canary.averageNanos(now())));
    }

    @Test
    void aRejectingPoolLeavesNoCanaryPending() {
        PoolWaitCanary rejected = new PoolWaitCanary(r -> {
            throw new RejectedExecutionException("full");
        }, clock, TimeUnit.SECONDS.toNanos(1));
        rejected.maybeSubmit(now());
        clock.advanceMillis(500);
        assertEquals(-1, rejected.maxNanos(now()));
    }
}
