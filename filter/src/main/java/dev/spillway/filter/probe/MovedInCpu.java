package dev.spillway.filter.probe;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU this server spent on requests moved here from a peer, so far: the finished ones' and, read from their
 * threads when asked, the ones still running (a CPU-bound request at a small quota runs for longer than the CPU window
 * itself, so counting it only once it ends would show its CPU as our own meanwhile). Each request is timed on the
 * thread that serves it, by the thread CPU clock; CPU it causes on other threads (async work, GC) stays ours.
 *
 * <p>One lock: a request that ends while the sum is taken must be counted exactly once, since the CPU signal compares
 * two sums (a request counted twice in the older one would show its CPU as ours in the difference). Taken once per
 * moved-in request at each end, and once per sample (every few ms).
 */
final class MovedInCpu {
    static final long NOT_TIMED = -1;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long finished; // under this
    /** Thread id → that thread's CPU time when it started serving its moved-in request; under this. */
    private final Map<Long, Long> running = new HashMap<>();

    /** The current thread starts serving a moved-in request: its CPU clock, or {@link #NOT_TIMED} without one. */
    synchronized long starts() {
        long cpu = threadCpu();
        if (cpu >= 0) {
            running.put(Thread.currentThread().getId(), cpu);
        }
        return cpu;
    }

    /** The request {@link #starts} answered {@code cpuAtStart} for is done on this thread. */
    synchronized void ends(long cpuAtStart) {
        if (cpuAtStart == NOT_TIMED) {
            return;
        }
        long now = threadCpu();
        running.remove(Thread.currentThread().getId());
        if (now > cpuAtStart) {
            finished += now - cpuAtStart;
        }
    }

    /** CPU spent on moved-in requests so far, in ns. */
    synchronized long total() {
        long sum = 0;
        for (Map.Entry<Long, Long> e : running.entrySet()) {
            long cpu = THREADS.getThreadCpuTime(e.getKey());
            if (cpu > e.getValue()) {
                sum += cpu - e.getValue();
            }
        }
        return sum + finished;
    }

    private static long threadCpu() {
        try {
            return THREADS.getCurrentThreadCpuTime(); // -1 where the JVM has no thread CPU clock
        } catch (UnsupportedOperationException e) {
            return NOT_TIMED;
        }
    }
}
