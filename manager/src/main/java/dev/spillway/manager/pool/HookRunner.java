package dev.spillway.manager.pool;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the pool's hooks on a thread of their own, so a slow or hanging hook never holds up the control loop. Each
 * hook of an action (its command, its HTTP call) runs and retries on its own: a run that fails is logged, counted,
 * told on the data stream ({@link PoolEvent#HOOK_FAILED}) and run again after the retry delay, up to the
 * configured attempts. A failure never undoes the pool's decision.
 */
final class HookRunner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.pool");

    private final long retryMillis;
    private final int attempts;
    private final PoolEvents events;
    private final AtomicLong failures = new AtomicLong();
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spillway-pool-hooks");
        t.setDaemon(true);
        return t;
    });

    HookRunner(long retryMillis, int attempts, PoolEvents events) {
        this.retryMillis = retryMillis;
        this.attempts = attempts;
        this.events = events;
    }

    /** Queues every hook of {@code hooks} for {@code call}; nothing when there is none. */
    void run(HookCall call, List<Hook> hooks) {
        for (Hook h : hooks) {
            submit(call, h, 1, 0);
        }
    }

    /** Hook runs that failed (each attempt counts). */
    long failures() {
        return failures.get();
    }

    private void submit(HookCall call, Hook hook, int attempt, long delayMillis) {
        try {
            runner.schedule(() -> attempt(call, hook, attempt), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "pool " + call.action() + " hook not run: the manager is stopping");
        }
    }

    private void attempt(HookCall call, Hook hook, int attempt) {
        String failure;
        try {
            failure = hook.runOnce(call);
        } catch (RuntimeException e) {
            failure = "failed: " + e; // a bug in one hook must not end the hook thread
        }
        if (failure == null) {
            return;
        }
        failures.incrementAndGet();
        String what = "pool " + call.action() + " hook " + hook.describe(call) + " failed (" + failure + ")";
        boolean again = attempt < attempts;
        events.add(System.currentTimeMillis(), PoolEvent.HOOK_FAILED, call.host(), what + ", attempt " + attempt
                + " of " + attempts + (again ? "; again in " + retryMillis + " ms" : "; given up"));
        if (again) {
            LOG.log(System.Logger.Level.WARNING, what + ", attempt " + attempt + " of " + attempts + "; again in "
                    + retryMillis + " ms");
            submit(call, hook, attempt + 1, retryMillis);
        } else {
            LOG.log(System.Logger.Level.ERROR, what + " " + attempts + " times; given up");
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
