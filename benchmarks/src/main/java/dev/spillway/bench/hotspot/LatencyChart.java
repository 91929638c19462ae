package dev.spillway.bench.hotspot;

import dev.spillway.bench.hotspot.HotspotBench.Row;
import dev.spillway.bench.hotspot.HotspotBench.RowResult;
import dev.spillway.bench.report.Chart;
import dev.spillway.bench.report.RunInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** One PNG per shape: p50, p99 and max of each row (log scale), with HAProxy leastconn's p99 as the goal line. */
final class LatencyChart {
    private LatencyChart() {
    }

    static void write(Path png, Shape shape, List<RowResult> ran, RunInfo info, String loadAverage)
            throws IOException {
        Chart bars = Chart.bars(String.format(Locale.ROOT, "Hotspot %s — latency from due time (%d cores, load avg %s)",
                shape.label(), info.cores(), loadAverage), "ms", ran.stream().map(RowResult::title).toList()).logY()
                .series("p50", ran.stream().mapToDouble(RowResult::p50).toArray())
                .series("p99", ran.stream().mapToDouble(RowResult::p99).toArray())
                .series("max", ran.stream().mapToDouble(RowResult::max).toArray());
        ran.stream().filter(r -> r.row() == Row.LEASTCONN).findFirst()
                .ifPresent(lc -> bars.mark("leastconn p99", lc.p99()));
        bars.writePng(png);
    }
}
