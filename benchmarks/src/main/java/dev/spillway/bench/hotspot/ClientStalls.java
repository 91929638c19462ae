package dev.spillway.bench.hotspot;

import java.util.Locale;

/**
 * Whether the load client kept to its schedule: a probe thread beside the load's scheduler (same JVM, same
 * {@code Thread.sleep} granularity) sleeps {@link #PERIOD_MS} ms at a time and records how late it wakes. The
 * scheduler sends every request that fell due while it could not run in one burst when it runs again, so a late
 * wake-up is a burst the servers see and latency the client, not the product, added. On a machine that cannot drive
 * the shape a row's tail says more about the client than about the servers: {@link HotspotBench#clientWarning}
 * says so.
 */
final class ClientStalls implements AutoCloseable {
    static final long PERIOD_MS = 5;
    /** A stall longer than this puts a visible burst into a row of 100 ms pages. */
    static final double WARN_MS = 100;

    private final Thread probe;
    private volatile boolean running = true;
    private long worstNanos;
    private long stalls;
    private long wakeUps;

    private ClientStalls(boolean start) {
        probe = new Thread(this::run, "client-stall-probe");
        probe.setDaemon(true);
        if (start) {
            probe.start();
        }
    }

    static ClientStalls start() {
        return new ClientStalls(true);
    }

    /** A recorder without its thread, fed by {@link #wokeLate} (for tests). */
    static ClientStalls recorder() {
        return new ClientStalls(false);
    }

    private void run() {
        while (running) {
            long before = System.nanoTime();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            wokeLate(System.nanoTime() - before - PERIOD_MS * 1_000_000L);
        }
    }

    synchronized void wokeLate(long lateNanos) {
        wakeUps++;
        worstNanos = Math.max(worstNanos, lateNanos);
        if (lateNanos > WARN_MS * 1e6) {
            stalls++;
        }
    }

    /** The longest the client could not run, in ms. */
    synchronized double worstMs() {
        return worstNanos / 1e6;
    }

    /** How often it could not run for more than {@link #WARN_MS}. */
    synchronized long stalls() {
        return stalls;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        probe.interrupt();
        if (probe.isAlive()) {
            probe.join(1_000);
        }
    }
}
