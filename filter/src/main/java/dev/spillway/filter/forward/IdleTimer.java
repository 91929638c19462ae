package dev.spillway.filter.forward;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that runs the proxy's idle checks (a relay looks at its last progress once per idle period,
 * not on every chunk). The thread starts with the first check and ends after a minute without one.
 */
final class IdleTimer implements AutoCloseable {
    private final ScheduledThreadPoolExecutor executor;

    IdleTimer() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "spillway-proxy-idle");
            t.setDaemon(true); // a forgotten close() must not keep a container from exiting
            return t;
        });
        executor.setKeepAliveTime(60, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs {@code check} after {@code nanos}; quietly nothing once closed (then null). Cancel what it returns when the
     * check is no longer needed: a pending check keeps its relay, and through it the request, reachable.
     */
    java.util.concurrent.Future<?> schedule(Runnable check, long nanos) {
        if (!executor.isShutdown()) {
            try {
                return executor.schedule(check, nanos, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
                // the filter is being destroyed
            }
        }
        return null;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
