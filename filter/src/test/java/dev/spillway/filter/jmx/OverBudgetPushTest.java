package dev.spillway.filter.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One push per half second at most, however many requests find the budgets spent, and from one thread only. */
class OverBudgetPushTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Long> pushed = new CopyOnWriteArrayList<>();
    private final OverBudgetPush push = new OverBudgetPush(nanos::get);

    OverBudgetPushTest() {
        push.sendTo(pushed::add);
    }

    private void advanceMillis(long ms) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void theFirstRequestOverBudgetPushesAndTheRestOfTheGapStaysQuiet() {
        push.overBudget(() -> 1);
        push.overBudget(() -> 2);
        advanceMillis(OverBudgetPush.MIN_GAP_MILLIS - 1);
        push.overBudget(() -> 3);
        assertEquals(List.of(1L), pushed, "one push within the gap, carrying the count at the first");
        advanceMillis(1);
        push.overBudget(() -> 4);
        assertEquals(List.of(1L, 4L), pushed, "the gap over: the next request pushes again");
    }

    @Test
    void requestsOverBudgetAtOnceOnManyThreadsPushOnce() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int k = 0; k < 1_000; k++) {
                        push.overBudget(() -> 7);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, pushed.size(), "the clock stood still: one push for 16 000 requests over budget");
    }

    @Test
    void aFailingListenerDoesNotFailTheRequest() {
        push.sendTo(total -> {
            throw new IllegalStateException("listener broke");
        });
        push.overBudget(() -> 1); // must not throw
        advanceMillis(OverBudgetPush.MIN_GAP_MILLIS);
        push.sendTo(pushed::add);
        push.overBudget(() -> 2);
        assertEquals(List.of(2L), pushed);
    }
}
