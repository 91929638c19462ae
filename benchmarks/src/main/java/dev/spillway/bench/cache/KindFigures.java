package dev.spillway.bench.cache;

import dev.spillway.demo.Load;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one kind of page (the cache hits, or the misses) in one row: how many were asked, their p50 and p99
 * latency counted from each page's due time, how many were moved (answered 307 by server a; the client followed the
 * 307 to the peer, so the latency includes the peer's answer), and how many failed.
 */
record KindFigures(int pages, double p50Millis, double p99Millis, long moved, long failed) {

    static KindFigures of(List<Load.Result> results) {
        long[] sorted = results.stream().mapToLong(Load.Result::latencyNanos).sorted().toArray();
        return new KindFigures(results.size(), percentile(sorted, 50), percentile(sorted, 99),
                results.stream().filter(Load.Result::redirected).count(),
                results.stream().filter(r -> r.error() != null).count());
    }

    /** Nearest-rank percentile in milliseconds; NaN for no data. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    String movedShare() {
        return pages == 0 ? "-" : String.format(Locale.ROOT, "%d (%.0f%%)", moved, 100.0 * moved / pages);
    }

    static String millis(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.0f", ms);
    }
}
