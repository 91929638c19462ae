package dev.spillway.agent.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing by itself: the test takes what was scheduled and runs it when its own clock says so.
 * The futures it returns are null (the code under test ignores them).
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    /** A task handed over, with the delay it asked for. */
    record Task(Runnable task, long delayMillis, boolean periodic) {
    }

    private final List<Task> pending = new ArrayList<>();

    /** The periodic task (there is one in the sampling loop). */
    Runnable periodic() {
        return pending.stream().filter(Task::periodic).findFirst()
                .orElseThrow(() -> new AssertionError("nothing periodic was scheduled: " + pending)).task();
    }

    /** Removes and returns the one-shot tasks scheduled with {@code delayMillis}, oldest first. */
    List<Runnable> takeOneShots(long delayMillis) {
        List<Runnable> out = new ArrayList<>();
        pending.removeIf(t -> {
            if (!t.periodic() && t.delayMillis() == delayMillis) {
                out.add(t.task());
                return true;
            }
            return false;
        });
        return out;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        pending.add(new Task(command, unit.toMillis(delay), false));
        return null;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        pending.add(new Task(command, unit.toMillis(period), true));
        return null;
    }

    @Override
    public void execute(Runnable command) {
        pending.add(new Task(command, 0, false));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
