package dev.spillway.bench.hotspot;

import dev.spillway.bench.report.Table;
import dev.spillway.demo.Load;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a row's tail is, in two figures a reviewer asks for beside the row's p99: the p99 of each server's pages
 * (do the peers' own users pay for what they take in?) and the p99 of the pages due in the row's last quarter (did
 * the tail recover, or does it last to the end?). A page is counted at the server it was sent to; through HAProxy,
 * where every page is sent to HAProxy, at the server that served it. Latencies as in the row: capped at the timeout,
 * an unanswered page only in the row's own p99 (it has no server and no due time here).
 *
 * @param p99ById p99 in ms per server of the shape (NaN where it got no page)
 * @param p99LastQuarter p99 in ms of the pages due in the last quarter of the row's span of due times
 */
record TailFigures(Map<String, Double> p99ById, double p99LastQuarter) {
    static final TailFigures NONE = new TailFigures(Map.of(), Double.NaN);

    static TailFigures of(Shape shape, boolean throughLb, List<Load.Result> pages, long timeoutNanos) {
        Map<String, List<Long>> byId = new LinkedHashMap<>();
        shape.ids().forEach(id -> byId.put(id, new ArrayList<>()));
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Load.Result r : pages) {
            first = Math.min(first, r.dueNanos());
            last = Math.max(last, r.dueNanos());
        }
        long lastQuarterFrom = last - (last - first) / 4;
        List<Long> lastQuarter = new ArrayList<>();
        for (Load.Result r : pages) {
            long lat = Math.min(r.latencyNanos(), timeoutNanos);
            String id = throughLb ? r.servedBy() : r.hit();
            List<Long> cell = id == null ? null : byId.get(id);
            if (cell != null) {
                cell.add(lat);
            }
            if (r.dueNanos() >= lastQuarterFrom) {
                lastQuarter.add(lat);
            }
        }
        Map<String, Double> p99 = new LinkedHashMap<>();
        byId.forEach((id, lat) -> p99.put(id, p99(lat)));
        return new TailFigures(p99, p99(lastQuarter));
    }

    private static double p99(List<Long> nanos) {
        return HotspotBench.pct(nanos.stream().mapToLong(Long::longValue).sorted().toArray(), 99);
    }

    /** "412/105/104": the servers' p99 in the shape's order. */
    String perServer(Shape shape) {
        List<String> parts = new ArrayList<>();
        shape.ids().forEach(id -> parts.add(Table.num(p99ById.getOrDefault(id, Double.NaN))));
        return parts.isEmpty() ? "-" : String.join("/", parts);
    }

    String csvPerServer(Shape shape) {
        List<String> parts = new ArrayList<>();
        shape.ids().forEach(id -> {
            double v = p99ById.getOrDefault(id, Double.NaN);
            parts.add(id + "=" + (Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v)));
        });
        return String.join(" ", parts);
    }
}
