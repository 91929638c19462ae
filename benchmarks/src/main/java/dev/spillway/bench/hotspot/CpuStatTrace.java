package dev.spillway.bench.hotspot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shape 4's evidence: each server group's {@code cpu.stat} (periods, throttled periods, throttled time) and CPU usage,
 * read every {@value #STEP_MILLIS} ms while a row's load runs, written as one CSV line per read. Tells whether a slow
 * second of a server was one in which its group was throttled.
 */
final class CpuStatTrace implements AutoCloseable {
    static final long STEP_MILLIS = 100;

    private final List<String> ids;
    private final Path file;
    private final long t0;
    private final StringBuilder lines = new StringBuilder("ms,server,nr_periods,nr_throttled,throttled_ms,usage_ms\n");
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts reading the groups of {@code ids} ({@code spillway-bench-ID}); {@code t0} is the load's start. */
    CpuStatTrace(List<String> ids, Path file, long t0) {
        this.ids = ids;
        this.file = file;
        this.t0 = t0;
        this.thread = new Thread(this::loop, "cpu-stat-trace");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            for (String id : ids) {
                read(id, now);
            }
            next += STEP_MILLIS * 1_000_000;
            long wait = (next - System.nanoTime()) / 1_000_000;
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void read(String id, long now) {
        try {
            Path g = CpuCgroups.ROOT.resolve("spillway-bench-" + id);
            long periods = 0;
            long throttled = 0;
            long throttledNanos = 0;
            for (String line : Files.readAllLines(g.resolve("cpu.stat"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 2) {
                    continue;
                }
                switch (f[0]) {
                    case "nr_periods" -> periods = Long.parseLong(f[1]);
                    case "nr_throttled" -> throttled = Long.parseLong(f[1]);
                    case "throttled_time" -> throttledNanos = Long.parseLong(f[1]);
                    default -> { }
                }
            }
            Path usage = Files.exists(g.resolve("cpuacct.usage")) ? g.resolve("cpuacct.usage")
                    : CpuCgroups.CPUACCT_ROOT.resolve("spillway-bench-" + id).resolve("cpuacct.usage");
            long used = Long.parseLong(Files.readString(usage).trim());
            synchronized (lines) {
                lines.append(String.format(Locale.ROOT, "%d,%s,%d,%d,%.1f,%.1f%n", (now - t0) / 1_000_000, id,
                        periods, throttled, throttledNanos / 1e6, used / 1e6));
            }
        } catch (IOException | RuntimeException e) {
            // the group is gone (row ending): nothing to record
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        thread.join(5_000);
        synchronized (lines) {
            Files.writeString(file, lines);
        }
    }
}
