package dev.spillway.bench.hotspot;

import dev.spillway.bench.report.Chart;
import dev.spillway.bench.report.RunInfo;
import dev.spillway.bench.report.Table;
import dev.spillway.bench.report.Usage;
import dev.spillway.demo.Cluster;
import dev.spillway.demo.FilterProbe;
import dev.spillway.demo.Home;
import dev.spillway.demo.Load;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 3 of issue 7, the hotspot: three servers, one (a) with half the capacity of the others, an open-loop load
 * at a fixed rate, and five ways of living with it, measured one after the other on the same servers:
 * <ol type="a">
 *   <li>no offloading: the clients spread evenly over a, b, c (as DNS round robin would), the manager only watches;</li>
 *   <li>Spillway redirect: the same clients, the manager on with {@code --offload.mode=REDIRECT};</li>
 *   <li>Spillway proxy: the same, {@code --offload.mode=PROXY};</li>
 *   <li>HAProxy {@code balance leastconn} in front: every request to one HAProxy, the manager only watches;</li>
 *   <li>HAProxy {@code balance roundrobin}, likewise.</li>
 * </ol>
 * The pages are the sample's {@code /slow?ms=N}: service time is a sleep, so capacity is worker threads / N and
 * does not move with the CPU noise of a shared machine. Every row also sends a cart (three {@code /cart/add} calls
 * with a session) and an {@code /admin} page per second straight to each server: pages that must never be moved;
 * they are checked and left out of the latency figures.
 *
 * <p>Latency is counted from the moment each request was due (no coordinated omission); a 307 is followed once by
 * the client. Extra hops: a redirect costs the client a second round trip per moved request, the proxy one
 * server-to-server hop per moved request, HAProxy one hop on every request.
 *
 * <p>Usage: {@code java -Ddemo.home=samples/demo/target -cp benchmarks/target/spillway-benchmarks.jar
 * dev.spillway.bench.hotspot.HotspotBench [options]} ({@code --help}), or {@code benchmarks/hotspot-bench.sh}.
 */
public final class HotspotBench {
    /** The five rows, in table order. */
    enum Row {
        NONE("a", "no offloading", false, null, null),
        REDIRECT("b", "Spillway redirect", true, "REDIRECT", null),
        PROXY("c", "Spillway proxy", true, "PROXY", null),
        LEASTCONN("d", "HAProxy leastconn", false, null, "leastconn"),
        ROUNDROBIN("e", "HAProxy roundrobin", false, null, "roundrobin");

        final String letter;
        final String label;
        final boolean offloading;
        final String mode;
        final String balance;

        Row(String letter, String label, boolean offloading, String mode, String balance) {
            this.letter = letter;
            this.label = label;
            this.offloading = offloading;
            this.mode = mode;
            this.balance = balance;
        }

        String title() {
            return "(" + letter + ") " + label;
        }

        boolean haproxy() {
            return balance != null;
        }

        static Row of(String letter) {
            for (Row r : values()) {
                if (r.letter.equals(letter)) {
                    return r;
                }
            }
            throw new Usage("--rows: '" + letter + "' is not one of a, b, c, d, e");
        }
    }

    static final String HOT = "a";
    /**
     * Extra flags for every server JVM: none. Proxy mode's default client (proxyClient=jetty) needs no JVM-wide
     * setting; the servers run as a user would start them.
     */
    static final List<String> SERVER_JVM_FLAGS = List.of();
    static final String LB = "lb";

    /** Command-line options. */
    record Options(int warmupSeconds, int measureSeconds, double rate, int slowMillis, int threads, int hotThreads,
            List<Row> rows, Path out, Path runDir, List<String> managerFlags, boolean smoke) {

        static Options parse(String... args) {
            int warmup = 10;
            int measure = 60;
            double rate = 300;
            int slow = 50;
            int threads = 8;
            int hot = 4;
            List<Row> rows = List.of(Row.values());
            Path out = Path.of("benchmarks", "results", "hotspot");
            Path run = null;
            List<String> flags = new ArrayList<>();
            boolean smoke = false;
            boolean warmupSet = false;
            boolean measureSet = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    throw new Usage(null);
                }
                if (a.equals("--smoke")) {
                    smoke = true;
                    continue;
                }
                boolean inline = a.contains("=");
                String key = inline ? a.substring(0, a.indexOf('=')) : a;
                String v = inline ? a.substring(a.indexOf('=') + 1) : i + 1 < args.length ? args[i + 1] : null;
                if (v == null) {
                    throw new Usage(key + " needs a value");
                }
                switch (key) {
                    case "--warmup" -> {
                        warmup = Usage.whole(key, v, 0, 600);
                        warmupSet = true;
                    }
                    case "--measure" -> {
                        measure = Usage.whole(key, v, 1, 3600);
                        measureSet = true;
                    }
                    case "--rate" -> rate = Usage.whole(key, v, 1, 5000);
                    case "--slow-ms" -> slow = Usage.whole(key, v, 1, 5000);
                    case "--threads" -> threads = Usage.whole(key, v, 1, 500);
                    case "--hot-threads" -> hot = Usage.whole(key, v, 1, 500);
                    case "--rows" -> rows = Arrays.stream(v.split(",")).map(String::trim).map(Row::of).distinct()
                            .sorted().toList();
                    case "--out" -> out = Path.of(v);
                    case "--run-dir" -> run = Path.of(v);
                    case "--manager-flag" -> {
                        if (!v.startsWith("--")) {
                            throw new Usage("--manager-flag: '" + v + "' is not a manager flag (--key=value)");
                        }
                        flags.add(v);
                    }
                    default -> throw new Usage("unknown option " + a);
                }
                if (!inline) {
                    i++;
                }
            }
            if (smoke) {
                warmup = warmupSet ? warmup : 2;
                measure = measureSet ? measure : 4;
            }
            return new Options(warmup, measure, rate, slow, threads, hot, rows, out,
                    run != null ? run : out.resolve("run"), List.copyOf(flags), smoke);
        }

        Options withRate(double r) {
            return new Options(warmupSeconds, measureSeconds, r, slowMillis, threads, hotThreads, rows, out, runDir,
                    managerFlags, smoke);
        }

        /** Pages per second each server can serve: threads / service time. */
        double capacity(String id) {
            return (HOT.equals(id) ? hotThreads : threads) * 1000.0 / slowMillis;
        }

        double totalCapacity() {
            return Cluster.IDS.stream().mapToDouble(this::capacity).sum();
        }
    }

    static final String USAGE = """
            usage: benchmarks/hotspot-bench.sh [options]
              --measure S       measured seconds per row (default 60; --smoke: 4)
              --warmup S        seconds of the same load before each row's measurement, not counted (default 10; --smoke: 2)
              --rate N          pages per second, all clients together (default 300)
              --slow-ms N       service time of a page: /slow?ms=N (default 50)
              --threads N       worker threads of b and c (default 8)
              --hot-threads N   worker threads of a, the hot server (default 4: half the capacity of b and c)
              --rows LIST       which rows, e.g. a,b,d (default a,b,c,d,e; d and e need haproxy on PATH)
              --manager-flag F  an extra manager flag for the Spillway rows (b, c), e.g. --threshold.queueDelay.high=20ms;
                                repeatable (the manager otherwise runs conf/demo/manager.properties as it is)
              --out DIR         where the table, CSV and PNGs go (default benchmarks/results/hotspot)
              --run-dir DIR     configuration and logs of the processes (default OUT/run)
              --smoke           seconds per row: proves the program works; its figures mean nothing
            """;

    /** One row's figures. Latencies in ms; NaN where not applicable. */
    record RowResult(Row row, boolean ran, String skipped, long pages, long errors, double throughput, double p50,
            double p99, double p999, double max, long moved, long redirected, long proxied, double extraHops,
            Map<String, Long> servedBy, long checkCalls, long movedStateful, long movedDenied, long checkErrors,
            double hotQueueDelayMillis, double hotFraction, long hotOffloaded, long hotOffloadFailures,
            long hotFellBack, String loadBefore, String loadAfter, Map<String, Long> errorKinds,
            double[] hotDelaySeries, double[] hotFractionSeries) {

        static RowResult skipped(Row row, String why) {
            return new RowResult(row, false, why, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    0, 0, 0, Double.NaN, Map.of(), 0, 0, 0, 0, Double.NaN, Double.NaN, 0, 0, 0, "-", "-", Map.of(),
                    new double[0], new double[0]);
        }

        double movedPercent() {
            return pages == 0 ? Double.NaN : 100.0 * moved / pages;
        }

        String servedShare() {
            if (pages == 0) {
                return "-";
            }
            List<String> parts = new ArrayList<>();
            for (String id : Cluster.IDS) {
                parts.add(String.valueOf(Math.round(100.0 * servedBy.getOrDefault(id, 0L) / pages)));
            }
            return String.join("/", parts);
        }
    }

    /** What a run produced. */
    record Report(RunInfo info, List<RowResult> rows, Table table, Path text, Path csv, Path markdown,
            Path latencyPng, Path timelinePng, List<String> goals) {
    }

    private HotspotBench() {
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Usage u) {
            if (u.getMessage() != null) {
                System.err.println("hotspot-bench: " + u.getMessage());
            }
            (u.getMessage() == null ? System.out : System.err).print(USAGE);
            System.exit(u.getMessage() == null ? 0 : 2);
            return;
        }
        try {
            run(o, System.out);
            System.exit(0);
        } catch (Exception e) {
            System.err.println("hotspot-bench: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs the rows; every process started is stopped before this returns, also on failure. */
    static Report run(Options o, PrintStream out) throws Exception {
        RunInfo info = RunInfo.capture();
        Files.createDirectories(o.out());
        Files.createDirectories(o.runDir());
        info.lines().forEach(out::println);
        out.printf(Locale.ROOT, "# load average at start: %s%n", RunInfo.loadAverage());
        out.printf(Locale.ROOT, "Hotspot: %.0f pages/s of /slow?ms=%d spread evenly; a has %d worker threads (%.0f/s),"
                + " b and c %d (%.0f/s each): %.0f%% of the cluster's capacity, %.0f%% of a's.%n", o.rate(),
                o.slowMillis(), o.hotThreads(), o.capacity("a"), o.threads(), o.capacity("b"),
                100 * o.rate() / o.totalCapacity(), 100 * o.rate() / 3 / o.capacity("a"));
        out.printf("Per row: %d s warm-up, %d s measured. Logs: %s%n", o.warmupSeconds(), o.measureSeconds(),
                o.runDir());
        boolean haproxy = Haproxy.available();
        if (!haproxy && o.rows().stream().anyMatch(Row::haproxy)) {
            out.println("NOTE: haproxy is not on PATH (Debian: apt-get install -y haproxy): rows d and e are skipped.");
        }
        Map<Row, RowResult> results = new LinkedHashMap<>();
        Home home = Home.locate();
        try (Cluster cluster = Cluster.start(home, new Cluster.Settings(o.runDir(), 0, o.threads(), List.of()),
                Map.of(HOT, o.hotThreads()), SERVER_JVM_FLAGS)) {
            Map<String, FilterProbe> probes = new LinkedHashMap<>();
            Map<String, String> bases = new LinkedHashMap<>();
            for (Cluster.Server s : cluster.servers()) {
                probes.put(s.id(), cluster.probe(s.id()));
                bases.put(s.id(), s.baseUrl());
            }
            try {
                // Fresh JVMs: run every page and check once under a light load, so the first row is not the JIT's.
                if (o.warmupSeconds() > 0) {
                    out.printf("%nWarming up the servers: %d s at half the rate, nothing counted...%n",
                            o.warmupSeconds());
                    try (Load load = new Load(bases)) {
                        load.start(null, streams(o.withRate(o.rate() / 2), Row.NONE));
                        Thread.sleep(o.warmupSeconds() * 1000L);
                        load.stop();
                        load.awaitIdle(60_000);
                    }
                }
                // Rows that need the same manager run one after the other, so it restarts only when it must.
                List<Row> order = new ArrayList<>(o.rows().stream().filter(r -> !r.offloading).toList());
                order.addAll(o.rows().stream().filter(r -> r.offloading).toList());
                String running = null;
                for (Row row : order) {
                    if (row.haproxy() && !haproxy) {
                        results.put(row, RowResult.skipped(row, "haproxy not on PATH"));
                        continue;
                    }
                    String managerKey = row.offloading ? row.mode : "watch";
                    if (!managerKey.equals(running)) {
                        cluster.stopManager();
                        if (row.offloading) {
                            List<String> flags = new ArrayList<>(List.of("--offload.mode=" + row.mode));
                            flags.addAll(o.managerFlags());
                            cluster.startManager(false, flags.toArray(String[]::new));
                        } else {
                            cluster.startManager(true);
                        }
                        running = managerKey;
                    }
                    out.printf("%n%s: warming up %d s, then measuring %d s...%n", row.title(), o.warmupSeconds(),
                            o.measureSeconds());
                    RowResult r = runRow(o, row, cluster, probes, out);
                    results.put(row, r);
                    out.printf(Locale.ROOT, "%s: %d pages, p50 %s ms, p99 %s ms, p99.9 %s ms, errors %d, moved %s%%,"
                            + " served a/b/c %s%%, a's queue delay %s ms, load average %s%n", row.title(), r.pages(),
                            Table.num(r.p50()), Table.num(r.p99()), Table.num(r.p999()), r.errors(),
                            Table.num(r.movedPercent()), r.servedShare(), Table.num(r.hotQueueDelayMillis()),
                            r.loadAfter());
                }
            } finally {
                probes.values().forEach(FilterProbe::close);
                cluster.stopManager();
            }
        }
        List<RowResult> rows = new ArrayList<>();
        for (Row row : o.rows()) {
            rows.add(results.get(row));
        }
        return write(o, info, rows, out);
    }

    /** The load of one row: the pages (to the servers, or to HAProxy) and the check streams (always direct). */
    static List<Load.Stream> streams(Options o, Row row) {
        List<Load.Stream> s = new ArrayList<>();
        String page = "/slow?ms=" + o.slowMillis();
        if (row.haproxy()) {
            s.add(new Load.Stream(LB, Load.Kind.PAGE, page, o.rate()));
        }
        for (String id : Cluster.IDS) {
            if (!row.haproxy()) {
                s.add(new Load.Stream(id, Load.Kind.PAGE, page, o.rate() / Cluster.IDS.size()));
            }
            s.add(new Load.Stream(id, Load.Kind.CART, "/cart/add", 1));
            s.add(new Load.Stream(id, Load.Kind.ADMIN, "/admin/users", 1));
        }
        return s;
    }

    private static RowResult runRow(Options o, Row row, Cluster cluster, Map<String, FilterProbe> probes,
            PrintStream out) throws Exception {
        Map<String, String> bases = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Cluster.Server s : cluster.servers()) {
            bases.put(s.id(), s.baseUrl());
            ports.put(s.id(), s.port());
        }
        Haproxy lb = null;
        try {
            if (row.haproxy()) {
                lb = Haproxy.start(row.balance, ports, cluster.runDir());
                bases.put(LB, "http://127.0.0.1:" + lb.port() + Cluster.CONTEXT);
                awaitPage(bases.get(LB) + "/slow?ms=0");
            }
            String loadBefore = RunInfo.loadAverage();
            List<Load.Stream> streams = streams(o, row);
            try (Load load = new Load(bases)) {
                if (o.warmupSeconds() > 0) {
                    load.start(null, streams);
                    Thread.sleep(o.warmupSeconds() * 1000L);
                    load.stop();
                }
                FilterProbe.Reading before = probes.get(HOT).read();
                long t0 = System.nanoTime();
                load.start(row.letter, streams);
                List<Double> delays = new ArrayList<>();
                List<Double> fractions = new ArrayList<>();
                for (int sec = 1; sec <= o.measureSeconds(); sec++) {
                    long wake = t0 + sec * 1_000_000_000L;
                    long now;
                    while ((now = System.nanoTime()) < wake) {
                        Thread.sleep(Math.max(1, (wake - now) / 1_000_000));
                    }
                    FilterProbe.Reading f = probes.get(HOT).read();
                    delays.add(f == null ? Double.NaN : f.queueDelayMillis());
                    fractions.add(f == null ? Double.NaN : "LOCAL".equals(f.mode()) ? 0 : f.fraction());
                }
                load.stop();
                long t1 = System.nanoTime();
                FilterProbe.Reading after = probes.get(HOT).read();
                String loadAfter = RunInfo.loadAverage();
                if (!load.awaitIdle(120_000)) {
                    out.printf("%s: %d requests still unanswered after 120 s; counted as they stand%n", row.title(),
                            load.outstanding());
                }
                // Let a's queue empty before the next row (the client has its answers; the servers are idle).
                Thread.sleep(1_000);
                return figures(row, load.results(), t0, t1, before, after, delays, fractions, loadBefore, loadAfter);
            }
        } finally {
            if (lb != null) {
                lb.close();
            }
        }
    }

    static RowResult figures(Row row, List<Load.Result> all, long t0, long t1, FilterProbe.Reading before,
            FilterProbe.Reading after, List<Double> delays, List<Double> fractions, String loadBefore,
            String loadAfter) {
        List<Load.Result> rs = all.stream().filter(r -> row.letter.equals(r.phase())).toList();
        List<Load.Result> pages = rs.stream().filter(r -> r.kind() == Load.Kind.PAGE).toList();
        List<Load.Result> checks = rs.stream().filter(r -> r.kind() != Load.Kind.PAGE).toList();
        long[] lat = pages.stream().mapToLong(Load.Result::latencyNanos).sorted().toArray();
        long errors = pages.stream().filter(r -> r.error() != null).count();
        long ok = pages.stream().filter(r -> r.error() == null && r.dueNanos() + r.latencyNanos() <= t1).count();
        double seconds = (t1 - t0) / 1e9;
        boolean viaLb = row.haproxy();
        long moved = viaLb ? 0 : pages.stream().filter(Load.Result::moved).count();
        long redirected = viaLb ? 0 : pages.stream().filter(r -> r.redirected() && r.moved()).count();
        long proxied = viaLb ? 0 : pages.stream().filter(r -> r.moved() && !r.redirected()).count();
        double hops = pages.isEmpty() ? Double.NaN : viaLb ? 1.0 : (double) (redirected + proxied) / pages.size();
        Map<String, Long> served = new LinkedHashMap<>();
        pages.stream().filter(r -> r.servedBy() != null).forEach(r -> served.merge(r.servedBy(), 1L, Long::sum));
        Map<String, Long> kinds = new LinkedHashMap<>();
        rs.stream().filter(r -> r.error() != null).forEach(r -> kinds.merge(r.kind() + " to " + r.hit() + ": "
                + r.error().replaceAll("\\d+ items", "N items"), 1L, Long::sum));
        long cartMoved = checks.stream().filter(r -> r.kind() == Load.Kind.CART && (r.moved() || r.redirected()))
                .count();
        long adminMoved = checks.stream().filter(r -> r.kind() == Load.Kind.ADMIN && (r.moved() || r.redirected()))
                .count();
        long checkErrors = checks.stream().filter(r -> r.error() != null).count();
        return new RowResult(row, true, null, pages.size(), errors, ok / seconds, pct(lat, 50), pct(lat, 99),
                pct(lat, 99.9), lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6, moved, redirected, proxied,
                hops, served, checks.size(), cartMoved, adminMoved, checkErrors, mean(delays), mean(fractions),
                delta(before, after, FilterProbe.Reading::offloaded), delta(before, after,
                        FilterProbe.Reading::offloadFailures), delta(before, after, FilterProbe.Reading::fellBack),
                loadBefore, loadAfter, kinds, toArray(delays), toArray(fractions));
    }

    /** Nearest-rank percentile in milliseconds; NaN for no data. */
    static double pct(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    private static double mean(List<Double> v) {
        return v.stream().filter(d -> !d.isNaN()).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static long delta(FilterProbe.Reading a, FilterProbe.Reading b,
            java.util.function.ToLongFunction<FilterProbe.Reading> f) {
        return a == null || b == null ? -1 : f.applyAsLong(b) - f.applyAsLong(a);
    }

    /** Waits until a page through {@code url} answers 200 (HAProxy up and its backend reachable). */
    private static void awaitPage(String url) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.currentTimeMillis() + 15_000;
        String last = "";
        while (System.currentTimeMillis() < end) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "status " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IOException(url + " did not answer 200 within 15 s: " + last);
    }

    // ------------------------------------------------------------------------------------------------ output

    static final String[] COLUMNS = {"row", "pages", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors",
        "moved %", "extra hops/req", "served a/b/c %", "a queue ms", "load avg", "stateful/denied moved"};

    static Table table(List<RowResult> rows) {
        Table t = new Table(COLUMNS);
        for (RowResult r : rows) {
            if (!r.ran()) {
                t.row(r.row().title(), "skipped", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-",
                        "-", "-");
                continue;
            }
            t.row(r.row().title(), r.pages(), Table.num(r.throughput()), Table.num(r.p50()), Table.num(r.p99()),
                    Table.num(r.p999()), Table.num(r.max()), r.errors(),
                    r.row().haproxy() ? "-" : Table.num(r.movedPercent()), Table.num(r.extraHops()),
                    r.servedShare(), Table.num(r.hotQueueDelayMillis()), r.loadAfter().split(" ")[0],
                    (r.movedStateful() + r.movedDenied()) + " of " + r.checkCalls());
        }
        return t;
    }

    /** The goals of the issue: Spillway p99 ≤ 0.3× no offloading and ≤ 1.25× HAProxy leastconn. */
    static List<String> goals(List<RowResult> rows) {
        Map<Row, RowResult> by = new LinkedHashMap<>();
        rows.stream().filter(RowResult::ran).forEach(r -> by.put(r.row(), r));
        List<String> lines = new ArrayList<>();
        for (Row spill : List.of(Row.REDIRECT, Row.PROXY)) {
            RowResult s = by.get(spill);
            if (s == null) {
                continue;
            }
            lines.add(goal(s, by.get(Row.NONE), 0.3));
            lines.add(goal(s, by.get(Row.LEASTCONN), 1.25));
        }
        return lines;
    }

    private static String goal(RowResult s, RowResult base, double limit) {
        if (base == null) {
            return String.format(Locale.ROOT, "%s p99 vs %s: not measured in this run", s.row().title(),
                    limit < 1 ? Row.NONE.title() : Row.LEASTCONN.title());
        }
        double ratio = s.p99() / base.p99();
        return String.format(Locale.ROOT, "%s p99 / %s p99 = %s / %s ms = %.2fx (goal <= %.2fx): %s",
                s.row().title(), base.row().title(), Table.num(s.p99()), Table.num(base.p99()), ratio, limit,
                ratio <= limit ? "met" : "NOT met");
    }

    static final String[] CSV_COLUMNS = {"row", "label", "ran", "pages", "errors", "throughput_per_s", "p50_ms",
        "p99_ms", "p999_ms", "max_ms", "moved", "moved_pct", "redirected", "proxied", "extra_hops_per_req",
        "served_a", "served_b", "served_c", "check_calls", "moved_stateful", "moved_denied", "check_errors",
        "a_queue_delay_ms_mean", "a_fraction_mean", "a_offloaded", "a_offload_failures", "a_fell_back",
        "load_avg_before", "load_avg_after", "rate_per_s", "slow_ms", "threads_a", "threads_bc", "warmup_s",
        "measure_s", "cores", "java", "jetty", "haproxy", "command", "started"};

    static Table csv(Options o, RunInfo info, List<RowResult> rows) {
        Table t = new Table(CSV_COLUMNS);
        for (RowResult r : rows) {
            t.row(r.row().letter, r.row().label, r.ran(), r.pages(), r.errors(), raw(r.throughput()), raw(r.p50()),
                    raw(r.p99()), raw(r.p999()), raw(r.max()), r.moved(), raw(r.movedPercent()), r.redirected(),
                    r.proxied(), raw(r.extraHops()), r.servedBy().getOrDefault("a", 0L),
                    r.servedBy().getOrDefault("b", 0L), r.servedBy().getOrDefault("c", 0L), r.checkCalls(),
                    r.movedStateful(), r.movedDenied(), r.checkErrors(), raw(r.hotQueueDelayMillis()),
                    raw(r.hotFraction()), r.hotOffloaded(), r.hotOffloadFailures(), r.hotFellBack(), r.loadBefore(),
                    r.loadAfter(), raw(o.rate()), o.slowMillis(), o.hotThreads(), o.threads(), o.warmupSeconds(),
                    o.measureSeconds(), info.cores(), info.java(), info.jetty(), info.haproxy(), info.command(),
                    info.started());
        }
        return t;
    }

    private static String raw(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static Report write(Options o, RunInfo info, List<RowResult> rows, PrintStream out) throws IOException {
        Table table = table(rows);
        List<String> goals = goals(rows);
        StringBuilder text = new StringBuilder();
        info.lines().forEach(l -> text.append(l).append('\n'));
        text.append(String.format(Locale.ROOT, "# load:    %.0f pages/s of /slow?ms=%d, even over a, b, c (HAProxy rows:"
                + " all to HAProxy); a %d threads, b and c %d; %d s warm-up + %d s measured per row%s%n", o.rate(),
                o.slowMillis(), o.hotThreads(), o.threads(), o.warmupSeconds(), o.measureSeconds(),
                o.smoke() ? " (SMOKE: figures mean nothing)" : ""));
        if (!o.managerFlags().isEmpty()) {
            text.append("# manager flags for rows b and c: ").append(String.join(" ", o.managerFlags())).append('\n');
        }
        text.append("# load average at the end: ").append(RunInfo.loadAverage()).append('\n');
        text.append('\n').append(table.toText()).append('\n');
        goals.forEach(g -> text.append(g).append('\n'));
        for (RowResult r : rows) {
            if (!r.ran()) {
                text.append(r.row().title()).append(": skipped, ").append(r.skipped())
                        .append(" (Debian: apt-get install -y haproxy)\n");
            }
            if (r.ran() && !r.errorKinds().isEmpty()) {
                r.errorKinds().entrySet().stream().limit(5).forEach(e -> text.append(String.format(Locale.ROOT,
                        "%s errors: %dx %s%n", r.row().title(), e.getValue(), e.getKey())));
            }
            if (r.ran() && r.row().offloading) {
                text.append(String.format(Locale.ROOT, "%s: a's filter moved %d (failures %d, fell back %d),"
                        + " mean directive fraction %s, redirected %d, proxied %d%n", r.row().title(),
                        r.hotOffloaded(), r.hotOffloadFailures(), r.hotFellBack(), Table.num(r.hotFraction()),
                        r.redirected(), r.proxied()));
            }
        }
        Path txt = o.out().resolve("hotspot.txt");
        Path md = o.out().resolve("hotspot.md");
        Path csvFile = o.out().resolve("hotspot.csv");
        Path latency = o.out().resolve("hotspot-latency.png");
        Path timeline = o.out().resolve("hotspot-timeline.png");
        Files.writeString(txt, text);
        Files.writeString(md, String.join("\n", info.lines()) + "\n\n" + table.toMarkdown() + "\n"
                + String.join("\n", goals) + "\n");
        Files.writeString(csvFile, csv(o, info, rows).toCsv());
        List<RowResult> ran = rows.stream().filter(RowResult::ran).toList();
        List<String> titles = ran.stream().map(r -> r.row().title()).toList();
        if (!titles.isEmpty()) {
            Chart bars = Chart.bars(String.format(Locale.ROOT, "Hotspot: %.0f req/s, a at half capacity — latency"
                    + " from due time (%d cores, load avg %s)", o.rate(), info.cores(), RunInfo.loadAverage()),
                    "ms", titles).logY()
                    .series("p50", ran.stream().mapToDouble(RowResult::p50).toArray())
                    .series("p99", ran.stream().mapToDouble(RowResult::p99).toArray())
                    .series("p99.9", ran.stream().mapToDouble(RowResult::p999).toArray());
            RowResult lc = ran.stream().filter(r -> r.row() == Row.LEASTCONN).findFirst().orElse(null);
            if (lc != null) {
                bars.mark("goal: 1.25 x leastconn p99", 1.25 * lc.p99());
            }
            bars.writePng(latency);
            Chart lines = Chart.lines("Hotspot: a's queue delay each second of the measured window (filter MXBean)",
                    "seconds", "ms").logY();
            for (RowResult r : ran) {
                double[] xs = new double[r.hotDelaySeries().length];
                double[] ys = new double[xs.length];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = i + 1;
                    ys[i] = Math.max(0.1, r.hotDelaySeries()[i]);   // 0 cannot be drawn on a log axis
                }
                lines.series(r.row().title(), xs, ys);
            }
            lines.writePng(timeline);
        }
        out.println();
        out.print(text);
        out.println("Written: " + txt + ", " + md + ", " + csvFile + ", " + latency + ", " + timeline);
        return new Report(info, rows, table, txt, csvFile, md, latency, timeline, goals);
    }
}
