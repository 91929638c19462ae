package dev.spillway.bench.hotspot;

import dev.spillway.bench.report.Usage;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --stall AT:MS}: a machine-wide stall on demand. {@code AT} seconds into every counted row's load, every
 * server process of the row is stopped ({@code kill -STOP}) for {@code MS} ms and then continued ({@code kill
 * -CONT}), all at once: what a GC pause on every server, or a noisy neighbour taking the whole machine, does. The
 * kernel keeps accepting connections and requests meanwhile, so every pool comes back to a backlog of {@code MS} ms
 * of its own arrivals at the same moment. The manager and the load client run on (session 12's collapse: the
 * manager read the machine's CPU at 1.00 and kept its permits; the client's stalls are reported apart). Every row
 * of the run gets the same stall, so no offloading's row says what the stall costs by itself.
 */
final class ServerStall implements AutoCloseable {
    /** When and how long; null: no stall. */
    record Spec(double atSeconds, long millis) {
        static Spec parse(String key, String v) {
            String[] p = v.split(":");
            if (p.length != 2) {
                throw new Usage(key + " wants AT:MS (seconds into the load : ms stopped), e.g. 0:2000; got " + v);
            }
            double at = Usage.number(key, p[0].trim(), 0, 3600);
            long ms = Usage.whole(key, p[1].trim(), 1, 60_000);
            return new Spec(at, ms);
        }

        String label() {
            return String.format(Locale.ROOT, "every server stopped %d ms from %.1f s into the load", millis,
                    atSeconds);
        }
    }

    private final Thread thread;
    private final List<Long> pids;
    private volatile boolean stopped;
    private volatile String done = "not reached";

    private ServerStall(Spec spec, List<Long> pids, long t0Nanos, PrintStream out, String title) {
        this.pids = List.copyOf(pids);
        thread = new Thread(() -> run(spec, t0Nanos, out, title), "server-stall");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts the stall's timer for a load that started at {@code t0Nanos}; a no-op when {@code spec} is null. */
    static ServerStall start(Spec spec, List<Long> pids, long t0Nanos, PrintStream out, String title) {
        return spec == null ? null : new ServerStall(spec, pids, t0Nanos, out, title);
    }

    private void run(Spec spec, long t0, PrintStream out, String title) {
        try {
            sleepUntil(t0 + (long) (spec.atSeconds() * 1e9));
            long a = System.nanoTime();
            stopped = true;
            signal("-STOP");
            long b = System.nanoTime();
            sleepUntil(b + spec.millis() * 1_000_000L);
            signal("-CONT");
            stopped = false;
            long c = System.nanoTime();
            done = String.format(Locale.ROOT, "servers %s stopped at %.3f s, continued at %.3f s", pids,
                    (a - t0) / 1e9, (c - t0) / 1e9);
            out.printf("   %s: stall: %s%n", title, done);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            done = "failed: " + e;
            out.printf("   %s: stall failed: %s%n", title, e);
        }
    }

    private void signal(String sig) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kill", sig));
        pids.forEach(p -> cmd.add(String.valueOf(p)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue());
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long now;
        while ((now = System.nanoTime()) < nanoTime) {
            Thread.sleep(Math.max(1, (nanoTime - now) / 1_000_000));
        }
    }

    /** Ends the timer; servers still stopped are continued, never left stopped. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(5_000);
        if (stopped) {
            try {
                signal("-CONT");
            } catch (IOException e) {
                // the row's cluster is closed next: its processes are destroyed either way
            }
            stopped = false;
        }
    }
}
