package dev.spillway.bench.hotspot;

import dev.spillway.demo.Load;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A row's pages second by second and by the server they were sent to: how many, how many moved, p50/p99/max of their
 * latency. Where a whole row's p99 comes from (one slow second, or one server all along) is then visible. Split
 * by where the time went: the p50 of the pages served where they were sent, and of the moved pages' first answer
 * (the 307 or the proxied reply: how long the page waited at the server it was sent to before it left).
 */
final class PerSecond {
    private PerSecond() {
    }

    /**
     * Writes {@code file}: second (from {@code t0}), server, pages, moved, p50, p99, max, p50 of the pages served
     * there, p50 of the moved pages' first answer (ms; empty where there were none).
     */
    static void write(List<Load.Result> results, long t0, Path file) throws IOException {
        Map<String, List<Long>> cells = new TreeMap<>();
        Map<String, Integer> moved = new TreeMap<>();
        Map<String, List<Long>> local = new TreeMap<>();
        Map<String, List<Long>> movedFirst = new TreeMap<>();
        for (Load.Result r : results) {
            if (r.kind() != Load.Kind.PAGE) {
                continue;
            }
            long second = Math.max(0, (r.dueNanos() - t0) / 1_000_000_000L);
            String key = String.format(Locale.ROOT, "%03d,%s", second, r.hit());
            cells.computeIfAbsent(key, k -> new ArrayList<>()).add(r.latencyNanos());
            if (r.moved()) {
                moved.merge(key, 1, Integer::sum);
                movedFirst.computeIfAbsent(key, k -> new ArrayList<>()).add(r.firstAnswerNanos());
            } else {
                local.computeIfAbsent(key, k -> new ArrayList<>()).add(r.latencyNanos());
            }
        }
        StringBuilder out = new StringBuilder(
                "second,server,pages,moved,p50_ms,p99_ms,max_ms,served_p50_ms,moved_first_p50_ms\n");
        cells.forEach((key, lat) -> {
            long[] sorted = lat.stream().mapToLong(Long::longValue).sorted().toArray();
            out.append(String.format(Locale.ROOT, "%s,%d,%d,%.1f,%.1f,%.1f,%s,%s%n", key, sorted.length,
                    moved.getOrDefault(key, 0), HotspotBench.pct(sorted, 50), HotspotBench.pct(sorted, 99),
                    sorted[sorted.length - 1] / 1e6, p50(local.get(key)), p50(movedFirst.get(key))));
        });
        Files.writeString(file, out);
    }

    private static String p50(List<Long> nanos) {
        if (nanos == null) {
            return "";
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "%.1f", HotspotBench.pct(sorted, 50));
    }
}
