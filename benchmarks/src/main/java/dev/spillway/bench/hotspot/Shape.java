package dev.spillway.bench.hotspot;

import dev.spillway.bench.report.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The load shapes of issue 11. Each server's load is given as a share of its own capacity, before and after the
 * middle of the row (equal for every shape but the step), so that a shape means the same whatever the capacity: a
 * thread-bound page's capacity is workers / service time, a CPU-bound page's is measured before the rows.
 */
enum Shape {
    EQUAL(1, "equal servers, a at 126%", "three servers of 20 workers, /slow?ms=100 (200 req/s each); 420 req/s"
            + " split 60/20/20: a at 126% of its capacity, b and c at 42%",
            Map.of("a", 20, "b", 20, "c", 20), Map.of("a", 1.26, "b", 0.42, "c", 0.42), null, false, false, 5),
    SIZES(2, "different sizes, a with half the workers", "a has 10 workers (100 req/s), b and c 20 (200 req/s);"
            + " /slow?ms=100; 420 req/s split evenly (as DNS round robin would): a at 140%, b and c at 70%",
            Map.of("a", 10, "b", 20, "c", 20), Map.of("a", 1.40, "b", 0.70, "c", 0.70), null, false, false, 5),
    STEP(3, "a step: a from 50% to 150% mid-row", "three servers of 20 workers, /slow?ms=100 (200 req/s each);"
            + " a gets 100 req/s, then 300 req/s from the middle of the row on; b and c 100 req/s throughout",
            Map.of("a", 20, "b", 20, "c", 20), Map.of("a", 0.50, "b", 0.50, "c", 0.50),
            Map.of("a", 1.50, "b", 0.50, "c", 0.50), false, false, 5),
    CPU(4, "CPU-bound, each server in its own CPU cgroup", "a CPU-bound page (/work?cost=N) on three servers of 20"
            + " workers, each JVM in its own cgroup-v1 cpu group with a quota (separate hosts); capacity measured"
            + " first, warm; load split 60/20/20: a at 126%, b and c at 42%",
            Map.of("a", 20, "b", 20, "c", 20), Map.of("a", 1.26, "b", 0.42, "c", 0.42), null, true, false,
            Shape.CPU_WARMUP_SECONDS),
    EVEN(5, "all at 90% (nothing to gain)", "three servers of 20 workers, /slow?ms=100 (200 req/s each); 540 req/s"
            + " split evenly: every server at 90% of its capacity",
            Map.of("a", 20, "b", 20, "c", 20), Map.of("a", 0.90, "b", 0.90, "c", 0.90), null, false, true, 5);

    /**
     * Shape 4's JIT warm-up: a lone server at 30% under a 0.25-CPU quota spent 2.8-3.2 ms of CPU per page in its
     * first seconds, 1.7-1.9 ms in seconds 10-29 with p99 spikes of 30-70 ms, and 1.5 ms with p99 5-10 ms from second
     * 30 on (JitWarmup, BENCHMARKS.md section 7): its JIT compiles within the same quota as its pages.
     */
    static final int CPU_WARMUP_SECONDS = 30;

    final int number;
    final String title;
    final String description;
    final Map<String, Integer> workers;
    /** Load as a share of each server's capacity, for the whole row or (with {@link #after}) its first half. */
    final Map<String, Double> before;
    /** The second half's shares, or null when the load does not change. */
    final Map<String, Double> after;
    final boolean cpuBound;
    /** Shape 5: the goals are "no worse than no offloading", not "as good as HAProxy". */
    final boolean nothingToGain;
    /** Seconds at 30% of capacity that fresh servers get before a row is counted, unless --warmup says otherwise. */
    final int warmupSeconds;

    Shape(int number, String title, String description, Map<String, Integer> workers, Map<String, Double> before,
            Map<String, Double> after, boolean cpuBound, boolean nothingToGain, int warmupSeconds) {
        this.number = number;
        this.title = title;
        this.description = description;
        this.workers = workers;
        this.before = before;
        this.after = after;
        this.cpuBound = cpuBound;
        this.nothingToGain = nothingToGain;
        this.warmupSeconds = warmupSeconds;
    }

    String label() {
        return "shape " + number + ": " + title;
    }

    /** Load share of {@code id} in the first half (false) or second half (true) of a row. */
    double share(String id, boolean secondHalf) {
        return (secondHalf && after != null ? after : before).get(id);
    }

    /**
     * The percentage of {@code id}'s requests above its capacity over a whole row: what must leave it, at the least.
     * The goal allows moving this plus 5 points.
     */
    double excessPercent(String id) {
        double offered = share(id, false) + share(id, true);
        double excess = Math.max(0, share(id, false) - 1) + Math.max(0, share(id, true) - 1);
        return 100 * excess / offered;
    }

    /** "1..5", "all", or a comma list such as "1,5". */
    static List<Shape> parse(String key, String v) {
        if (v.equals("all")) {
            return List.of(values());
        }
        List<Shape> out = new ArrayList<>();
        for (String part : v.split(",")) {
            String p = part.trim();
            Shape found = null;
            for (Shape s : values()) {
                if (String.valueOf(s.number).equals(p)) {
                    found = s;
                }
            }
            if (found == null) {
                throw new Usage(key + ": '" + p + "' is not a shape; expected 1, 2, 3, 4, 5, a comma list or all");
            }
            if (!out.contains(found)) {
                out.add(found);
            }
        }
        return List.copyOf(out);
    }
}
