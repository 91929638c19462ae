package dev.spillway.bench.pool;

import dev.spillway.bench.cluster.BenchCluster;
import dev.spillway.bench.report.RunInfo;
import dev.spillway.bench.report.Arguments;
import dev.spillway.bench.report.Usage;
import dev.spillway.demo.Home;
import dev.spillway.demo.Load;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The spare-pool benchmark (issue 14): three member servers a, b, c and one warm spare d (its agent says
 * {@code host.spare=true}), the manager at its shipped settings plus {@code pool.file}. The members get 120% of their
 * capacity (evenly, {@code /slow?ms=100}, open loop) from the first second on, then the load falls to 40% so that
 * the spare can be released. Rows, one after the other in the same run:
 * <ol type="a">
 *   <li>pool: as above;</li>
 *   <li>no pool: the same three members and the same load, no spare (what a user has without the pool).</li>
 * </ol>
 * Printed: when the manager allocated d and when d answered its first moved request (from the start of the
 * overload), the p50/p99 of the pages due before and after the allocation (the same split for both rows), the share of
 * pages moved, and, after the load falls, when d's release started and ended. Latency counts from each request's due
 * time. Usage: {@code benchmarks/pool-bench.sh [--smoke] [--overload S] [--calm S] [--workers N] [--out DIR]}.
 */
public final class PoolBench {
    static final List<String> MEMBERS = List.of("a", "b", "c");
    static final String SPARE = "d";
    static final int SLOW_MS = 100;
    static final String PAGE = "/slow?ms=" + SLOW_MS;

    record Options(int overloadSeconds, int calmSeconds, int workers, int warmupSeconds, Path out, boolean smoke) {
        static Options parse(String... args) {
            int overload = 60;
            int calm = 150;
            int workers = 10;
            int warmup = 5;
            Path out = Path.of("benchmarks", "results", "pool");
            Arguments cl = Arguments.parse(args, Set.of("--smoke"));
            boolean smoke = cl.has("--smoke");
            for (Arguments.Option opt : cl.options()) {
                String a = opt.key();
                String v = opt.value();
                switch (a) {
                    case "--overload" -> overload = Usage.whole(a, v, 5, 3600);
                    case "--calm" -> calm = Usage.whole(a, v, 5, 3600);
                    case "--workers" -> workers = Usage.whole(a, v, 2, 200);
                    case "--warmup" -> warmup = Usage.whole(a, v, 0, 600);
                    case "--out" -> out = Path.of(v);
                    default -> throw new Usage("unknown option " + a);
                }
            }
            if (smoke) {
                return new Options(15, 10, workers, 1, out, true);
            }
            return new Options(overload, calm, workers, warmup, out, false);
        }
    }

    /**
     * What one row measured; times in seconds from the start of the overload (NaN: never); {@code firstSpareAt} is
     * when d answered its first moved page.
     */
    record Row(String name, double allocatedAt, double firstSpareAt, double splitAt, double p50Before,
               double p99Before, double p50After, double p99After, long pages, long moved, long movedToSpare,
               long failed, double releaseStartedAfterFall, double releaseDoneAfterFall, long spareAfterRelease,
               String loadAverage) {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Usage u) {
            System.err.println(u.getMessage() == null ? "usage: benchmarks/pool-bench.sh [--smoke] [--overload S]"
                    + " [--calm S] [--workers N] [--warmup S] [--out DIR]" : u.getMessage());
            System.exit(u.getMessage() == null ? 0 : 2);
            return;
        }
        Home home = Home.locate();
        Files.createDirectories(o.out());
        PrintStream out = System.out;
        out.println(RunInfo.capture());
        out.println("command: " + System.getProperty("bench.command", "PoolBench " + String.join(" ", args)));
        double capacity = o.workers() * 1000.0 / SLOW_MS;
        out.printf(Locale.ROOT, "members a, b, c: %d workers x %d ms = %.0f req/s each; load %.0f req/s each (120%%)"
                + " for %d s, then %.0f req/s each (40%%)%n", o.workers(), SLOW_MS, capacity, 1.2 * capacity,
                o.overloadSeconds(), 0.4 * capacity);
        Row pool = run(o, home, true, Double.NaN, out);
        Row none = run(o, home, false, pool.splitAt(), out);
        print(out, List.of(pool, none));
    }

    private static Row run(Options o, Home home, boolean withPool, double split, PrintStream out) throws Exception {
        String name = withPool ? "pool" : "no-pool";
        List<String> ids = new ArrayList<>(MEMBERS);
        List<String> flags = new ArrayList<>(List.of("--offload.mode=REDIRECT"));
        if (withPool) {
            ids.add(SPARE);
            flags.add("--pool.file=" + o.out().resolve("run").resolve(name + "-pool.members").toAbsolutePath());
        }
        Path conf = Path.of("conf", "manager.properties");
        double capacity = o.workers() * 1000.0 / SLOW_MS;
        out.println("row " + name + ": starting " + ids + " and the manager");
        try (BenchCluster c = BenchCluster.start(home, o.out().resolve("run"), name,
                BenchCluster.Layout.of(ids, o.workers(), "pool benchmark").withManager(conf, flags)
                        .withSpares(withPool ? List.of(SPARE) : List.of()));
             Load load = new Load(c.baseUrls());
             PoolEventWatch events = new PoolEventWatch(c.dashboardUrl())) {
            out.println("  manager: " + String.join(" ", c.managerCommand()));
            if (o.warmupSeconds() > 0) {
                load.start(null, streams(0.3 * capacity));
                Thread.sleep(o.warmupSeconds() * 1000L);
                load.stop();
            }
            String loadBefore = RunInfo.loadAverage();
            long t0 = System.nanoTime();
            load.start("over", streams(1.2 * capacity));
            Thread.sleep(o.overloadSeconds() * 1000L);
            load.stop();
            long t1 = System.nanoTime();
            load.start("calm", streams(0.4 * capacity));
            long calmEnd = t1 + o.calmSeconds() * 1_000_000_000L;
            while (System.nanoTime() < calmEnd) {
                PoolEventWatch.Seen done = events.first("release-done", t1);
                if (!withPool || done != null && System.nanoTime() - done.nanos() > 10_000_000_000L) {
                    break; // released, and 10 s more to see that nothing goes to d any more
                }
                Thread.sleep(200);
            }
            load.stop();
            load.awaitIdle(35_000);
            List<Load.Result> rs = load.results();
            events.all().forEach(s -> out.printf(Locale.ROOT, "  pool event %-16s %s at %+.1f s%n", s.event(),
                    s.host(), (s.nanos() - t0) / 1e9));
            return figures(name, rs, events, t0, t1, split, loadBefore + " -> " + RunInfo.loadAverage());
        }
    }

    private static List<Load.Stream> streams(double perServer) {
        return MEMBERS.stream().map(id -> new Load.Stream(id, Load.Kind.PAGE, PAGE, perServer)).toList();
    }

    private static Row figures(String name, List<Load.Result> rs, PoolEventWatch events, long t0, long t1,
            double splitGiven, String loadAverage) {
        List<Load.Result> over = rs.stream().filter(r -> "over".equals(r.phase())).toList();
        // when d answered its first moved page (its due time can be long before, while it waited in a's queue)
        double firstSpare = over.stream().filter(r -> SPARE.equals(r.servedBy()))
                .mapToDouble(r -> (r.dueNanos() + r.latencyNanos() - t0) / 1e9).min().orElse(Double.NaN);
        PoolEventWatch.Seen alloc = events.first("allocate-done", t0);
        double allocatedAt = alloc == null ? Double.NaN : (alloc.nanos() - t0) / 1e9;
        double split = Double.isNaN(splitGiven) ? allocatedAt : splitGiven;
        long[] before = latencies(over, r -> Double.isNaN(split) || (r.dueNanos() - t0) / 1e9 < split);
        long[] after = latencies(over, r -> !Double.isNaN(split) && (r.dueNanos() - t0) / 1e9 >= split);
        PoolEventWatch.Seen started = events.first("release-started", t1);
        PoolEventWatch.Seen done = events.first("release-done", t1);
        long spareAfter = done == null ? 0 : rs.stream().filter(r -> SPARE.equals(r.servedBy())
                && r.dueNanos() > done.nanos()).count();
        return new Row(name, allocatedAt, firstSpare, split,
                pct(before, 50), pct(before, 99), pct(after, 50), pct(after, 99), over.size(),
                over.stream().filter(Load.Result::moved).count(),
                over.stream().filter(r -> SPARE.equals(r.servedBy())).count(),
                over.stream().filter(r -> r.error() != null).count(),
                started == null ? Double.NaN : (started.nanos() - t1) / 1e9,
                done == null ? Double.NaN : (done.nanos() - t1) / 1e9, spareAfter, loadAverage);
    }

    private static long[] latencies(List<Load.Result> rs, java.util.function.Predicate<Load.Result> which) {
        return rs.stream().filter(which).mapToLong(Load.Result::latencyNanos).sorted().toArray();
    }

    /** Nearest-rank percentile in milliseconds; NaN for no data. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    private static void print(PrintStream out, List<Row> rows) {
        Map<String, java.util.function.Function<Row, String>> cols = new LinkedHashMap<>();
        cols.put("allocated at", r -> secs(r.allocatedAt()));
        cols.put("d's first request at", r -> secs(r.firstSpareAt()));
        cols.put("p50 / p99 before (ms)", r -> ms(r.p50Before()) + " / " + ms(r.p99Before()));
        cols.put("p50 / p99 after (ms)", r -> ms(r.p50After()) + " / " + ms(r.p99After()));
        cols.put("pages (moved, to d, failed)", r -> r.pages() + " (" + r.moved() + ", " + r.movedToSpare() + ", "
                + r.failed() + ")");
        cols.put("release started / done after the fall", r -> secs(r.releaseStartedAfterFall()) + " / "
                + secs(r.releaseDoneAfterFall()));
        cols.put("pages served by d after its release", r -> String.valueOf(r.spareAfterRelease()));
        out.println();
        out.printf(Locale.ROOT, "times from the start of the overload; pages split into before/after by their due"
                + " time at %s (d's allocation in the pool row)%n", secs(rows.get(0).splitAt()));
        out.printf(Locale.ROOT, "%-44s", "");
        rows.forEach(r -> out.printf(Locale.ROOT, "%-26s", r.name()));
        out.println();
        cols.forEach((k, f) -> {
            out.printf(Locale.ROOT, "%-44s", k);
            rows.forEach(r -> out.printf(Locale.ROOT, "%-26s", f.apply(r)));
            out.println();
        });
        rows.forEach(r -> out.println("load average (1/5/15 min) over row " + r.name() + ": " + r.loadAverage()));
    }

    private static String secs(double s) {
        return Double.isNaN(s) ? "never" : String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String ms(double m) {
        return Double.isNaN(m) ? "-" : String.format(Locale.ROOT, "%.0f", m);
    }

    private PoolBench() {
    }
}
