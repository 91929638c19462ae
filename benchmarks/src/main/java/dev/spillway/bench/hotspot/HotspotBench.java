package dev.spillway.bench.hotspot;

import dev.spillway.bench.cluster.BenchCluster;
import dev.spillway.bench.cluster.ServerPriority;
import dev.spillway.bench.report.Arguments;
import dev.spillway.bench.report.RunInfo;
import dev.spillway.bench.report.Table;
import dev.spillway.bench.report.Usage;
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
import java.util.Set;

/**
 * The hotspot benchmark of issue 11, as a new user would run it: the product at its default settings, measured from
 * the first second of the load, on several {@link Shape}s, with four rows per shape run one after the other in the
 * same run (and repeated in that order with {@code --rounds}):
 * <ol type="a">
 *   <li>no offloading: no manager; the clients send each server its share of the load (as DNS would);</li>
 *   <li>Spillway redirect: the same clients, the manager JAR with the shipped {@code conf/manager.properties};</li>
 *   <li>Spillway proxy: the same with {@code --offload.mode=PROXY};</li>
 *   <li>HAProxy 2.6 {@code balance leastconn} in front of the same servers: every page through it; no manager.</li>
 * </ol>
 * Every row gets fresh processes (manager first, so the agents register at once; then the servers), a JIT warm-up of
 * a few seconds at 30% of each server's capacity where nothing is overloaded and nothing is counted, then the shape's
 * load from its first second on. Latency is counted from each request's due time; a page not answered within the
 * client timeout (5 s) is a timeout and enters the percentiles at 5 s. Each server also gets a cart (three
 * {@code /cart/add} with a session) and an {@code /admin} page per second, which must never move.
 *
 * <p>Usage: {@code benchmarks/hotspot-bench.sh [options]} ({@code --help}).
 */
public final class HotspotBench {
    /** The four rows, in the order they run. */
    enum Row {
        NONE("a", "no offloading", null, false),
        REDIRECT("b", "Spillway redirect", "REDIRECT", false),
        PROXY("c", "Spillway proxy", "PROXY", false),
        LEASTCONN("d", "HAProxy leastconn", null, true);

        final String letter;
        final String label;
        /** The manager's offload.mode; null: no manager. */
        final String mode;
        final boolean haproxy;

        Row(String letter, String label, String mode, boolean haproxy) {
            this.letter = letter;
            this.label = label;
            this.mode = mode;
            this.haproxy = haproxy;
        }

        String title() {
            return "(" + letter + ") " + label;
        }

        boolean spillway() {
            return mode != null;
        }

        static Row of(String letter) {
            for (Row r : values()) {
                if (r.letter.equals(letter)) {
                    return r;
                }
            }
            throw new Usage("--rows: '" + letter + "' is not one of a, b, c, d");
        }
    }

    /** The presets' servers (JitWarmup's too); a custom shape names its own ({@link Shape#ids}). */
    static final List<String> IDS = List.of("a", "b", "c");
    static final String LB = "lb";
    static final double WARMUP_SHARE = 0.3;
    /** Closed-loop clients that saturate one CPU-bound server to measure its capacity. */
    static final int CALIBRATION_CLIENTS = 8;

    /** Command-line options. */
    record Options(List<Shape> shapes, int seconds, int rounds, List<Row> rows, int warmupSeconds,
            int timeoutSeconds, double cpuQuota, int cpuCost, Path out, Path runDir, Path managerConf, boolean smoke,
            FilterVariant filterSet, List<FilterVariant> variants, boolean warmClient, boolean clientWarmupRow,
            ServerStall.Spec stall, BenchCluster.Container container) {

        static Options parse(String... args) {
            List<Shape> shapes = List.of(Shape.EQUAL, Shape.EVEN);
            int seconds = 20;
            int rounds = 1;
            List<Row> rows = List.of(Row.values());
            int warmup = -1;
            int timeout = 5;
            double quota = 0.25;
            int cost = 2000;
            Path out = Path.of("benchmarks", "results", "hotspot");
            Path run = null;
            Path managerConf = null;
            boolean shapesSet = false;
            boolean secondsSet = false;
            boolean warmupSet = false;
            List<Shape> customs = new ArrayList<>();
            Map<String, String> filterSet = new LinkedHashMap<>();
            String variantSpec = null;
            ServerStall.Spec stall = null;
            BenchCluster.Container container = BenchCluster.Container.JETTY;
            Arguments cl = Arguments.parse(args, Set.of("--smoke", "--warm-client", "--no-client-warmup-row"));
            boolean smoke = cl.has("--smoke");
            boolean warmClient = cl.has("--warm-client");
            boolean clientWarmupRow = !smoke && !cl.has("--no-client-warmup-row");
            for (Arguments.Option opt : cl.options()) {
                String key = opt.key();
                String v = opt.value();
                switch (key) {
                    case "--shape" -> {
                        shapes = Shape.parse(key, v);
                        shapesSet = true;
                    }
                    case "--custom" -> customs.add(Shape.custom(key, v, Shape.FIRST_CUSTOM + customs.size()));
                    case "--seconds" -> {
                        seconds = Usage.whole(key, v, 2, 3600);
                        secondsSet = true;
                    }
                    case "--rounds" -> rounds = Usage.whole(key, v, 1, 20);
                    case "--rows" -> rows = Arrays.stream(v.split(",")).map(String::trim).map(Row::of).distinct()
                            .sorted().toList();
                    case "--warmup" -> {
                        warmup = Usage.whole(key, v, 0, 600);
                        warmupSet = true;
                    }
                    case "--timeout" -> timeout = Usage.whole(key, v, 1, 120);
                    case "--cpu-quota" -> quota = Usage.number(key, v, 0.05, 64);
                    case "--cpu-cost" -> cost = Usage.whole(key, v, 1, 1_000_000);
                    case "--out" -> out = Path.of(v);
                    case "--run-dir" -> run = Path.of(v);
                    case "--manager-conf" -> managerConf = Path.of(v);
                    case "--filter-set" -> FilterVariant.parseSetting(key, v, filterSet);
                    case "--variants" -> variantSpec = v;
                    case "--stall" -> stall = ServerStall.Spec.parse(key, v);
                    case "--container" -> {
                        container = BenchCluster.Container.of(v);
                        if (container == null) {
                            throw new Usage("--container: '" + v + "' is not jetty or tomcat");
                        }
                    }
                    default -> throw new Usage("unknown option " + key);
                }
            }
            if (!customs.isEmpty()) {
                // --custom alone runs only the shapes described; with --shape, the presets first.
                List<Shape> all = new ArrayList<>(shapesSet ? shapes : List.of());
                all.addAll(customs);
                shapes = List.copyOf(all);
                shapesSet = true;
            }
            if (smoke) {
                shapes = shapesSet ? shapes : List.of(Shape.EQUAL);
                seconds = secondsSet ? seconds : 3;
                warmup = warmupSet ? warmup : 1;
            }
            FilterVariant common = new FilterVariant(0, filterSet);
            List<FilterVariant> variants = variantSpec == null ? List.of(common)
                    : FilterVariant.parseVariants("--variants", variantSpec, filterSet);
            return new Options(shapes, seconds, rounds, rows, warmup, timeout, quota, cost, out,
                    run != null ? run : out.resolve("run"), managerConf != null ? managerConf : shippedManagerConf(),
                    smoke, common, variants, warmClient, clientWarmupRow, stall, container);
        }

        /** The filter settings of {@code row}: one row per variant for Spillway rows, the common ones for the rest. */
        List<FilterVariant> variantsOf(Row row) {
            return row.spillway() ? variants : List.of(filterSet);
        }

        /** The warm-up of {@code s}'s rows: --warmup when given, else the shape's own. */
        int warmup(Shape s) {
            return warmupSeconds >= 0 ? warmupSeconds : s.warmupSeconds;
        }

        String page(Shape s) {
            return s.cpuBound ? "/work?cost=" + cpuCost : "/slow?ms=" + s.pageMs;
        }
    }

    /** conf/manager.properties of the source tree, from the repository root or a module directory. */
    static Path shippedManagerConf() {
        String prop = System.getProperty("bench.managerConf");
        if (prop != null) {
            return Path.of(prop);
        }
        for (Path p : List.of(Path.of("conf", "manager.properties"), Path.of("..", "conf", "manager.properties"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return Path.of("conf", "manager.properties");
    }

    static final String USAGE = """
            usage: benchmarks/hotspot-bench.sh [options]
              --shape LIST      1..5, a comma list (1,5) or all (default 1,5; --smoke: 1)
                                  1 equal servers (20 workers, /slow?ms=100), 420 req/s split 60/20/20: a at 126%
                                  2 a with half the workers (10), 420 req/s split evenly: a at 140%
                                  3 a step: a from 50% to 150% of its capacity at the middle of the row
                                  4 CPU-bound page, each server in its own cgroup-v1 cpu group with a quota
                                    (needs root and /sys/fs/cgroup/cpu; otherwise skipped with the reason)
                                  5 every server at 90%: nothing to gain
              --custom SPEC     a shape of your own (repeatable; numbered 6, 7, ...; without --shape only these
                                run): parts separated by ';'
                                  servers=a:40,b:40,c:20  2 to 6 servers: id (a lowercase letter, then letters or
                                                          digits) and workers (1..400 each), in order
                                  page-ms=50              the page /slow?ms=50 (1..10000): capacity = workers*1000/ms
                                  load=a:1.3,b:0.4        each server's load as a share of its capacity (0..3, or
                                                          130%); every server once
                                  after=a:1.5,b:0.4       optional: the shares from the middle of the row on (a step)
                                  title=TEXT              optional: the shape's name in the table
                                e.g. --custom "servers=a:20,b:20; page-ms=100; load=a:130%,b:40%; title=two servers"
                                Goals as for shapes 1-3 (moved <= excess + 5 points, p99 vs leastconn), or, when no
                                server is above its capacity, as for shape 5
              --seconds S       load per row, all of it counted from its first second (default 20; --smoke: 3)
              --rounds N        run the rows N times, interleaved a,b,c,d,a,b,c,d,... (default 1)
              --rows LIST       a no offloading, b Spillway redirect, c Spillway proxy, d HAProxy leastconn
                                (default a,b,c,d; d needs haproxy on PATH, else it is skipped)
              --warmup S        JIT warm-up of each row's fresh servers at 30% of capacity, not counted (default 5;
                                shape 4: 30, the time its JIT takes to settle under the quota; --smoke: 1);
                                nothing is overloaded during it
              --timeout S       client timeout: a page not answered S s after it was due is a timeout (default 5)
              --cpu-quota CPUS  shape 4: each server's cgroup quota in CPUs (default 0.25)
              --cpu-cost N      shape 4: the page /work?cost=N (N SHA-256 rounds; default 2000)
              --manager-conf F  the manager's configuration (default conf/manager.properties as shipped)
              --filter-set K=V  a filter setting written into every server's filter file (repeatable), e.g.
                                --filter-set spillWaiting=1; shown in the header and in each row's title
              --variants SPEC   Spillway rows once per variant, interleaved in each round (b1,b2,...,d,b1,...):
                                variants separated by ';', settings in one by ',', e.g.
                                "spillWaiting=2;spillWaiting=1;spillReserve=5%" (an empty variant: the defaults)
              --stall AT:MS     a machine-wide stall in every row (all rows alike, a and d too): AT s into
                                the load (fractions allowed) every server process is stopped (kill -STOP) for MS
                                ms, then continued (kill -CONT), all at once, as a GC pause everywhere or a noisy
                                neighbour would; the kernel keeps accepting requests meanwhile, so every pool
                                comes back to MS ms of backlog at once. The manager and the client run on. E.g.
                                --stall 0:2000 (default: none)
              --container NAME  the servers' web container: jetty (default; the demo's embedded Jetty 12,
                                WebServerMain) or tomcat (embedded Tomcat 11, TomcatServerMain: the same WAR
                                and web.xml, maxThreads = the shape's workers, other connector settings at
                                Tomcat's defaults); every row alike, HAProxy's and no offloading's too
              --out DIR         table, CSV and PNGs (default benchmarks/results/hotspot)
              --run-dir DIR     configuration and logs of every process (default OUT/run)
              --warm-client     the load runs on the warm-up's client and its open connections; by default it
                                starts on a fresh client with none, and the servers of rows without HAProxy
                                accept their whole share of connections in the load's first second (behind
                                HAProxy they keep the warm-up's). Session 11 measured no difference either way
              --no-client-warmup-row
                                skip the uncounted row that warms this program's own load client before the
                                first counted row (default: one row of the first shape, Spillway redirect when
                                it is among --rows, on its own fresh servers; the counted rows' servers and
                                manager are all fresh and measured from their first second). Without it the
                                first counted row pays for the client compiling its HTTP code: session 11 saw
                                two hot of four's redirect p99 3706 ms in round 1 and 131 ms in round 2
              --smoke           shape 1 for seconds per row: proves the program works; its figures mean nothing
            """;

    /**
     * One row's figures. Latencies in ms, timeouts counted at the timeout; NaN where not applicable. Per server id:
     * pages sent to it ({@code pagesById}; none for HAProxy rows) and how many of them another server served.
     */
    record RowResult(Shape shape, int round, Row row, boolean ran, String skipped, long pages, long errors,
            long timeouts, double p50, double p99, double max, Map<String, Long> pagesById,
            Map<String, Long> movedById, long redirected, long proxied, double extraHops, Map<String, Long> servedBy,
            long checkCalls, long movedStateful, long movedDenied, long checkErrors, String loadBefore,
            String loadAfter, Map<String, Long> errorKinds, FilterVariant variant, TailFigures tail,
            double clientWorstMs, long clientStalls) {

        static RowResult skipped(Shape shape, int round, Row row, String why) {
            return new RowResult(shape, round, row, false, why, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN,
                    Map.of(), Map.of(), 0, 0, Double.NaN, Map.of(), 0, 0, 0, 0, "-", "-", Map.of(),
                    FilterVariant.DEFAULTS, TailFigures.NONE, Double.NaN, 0);
        }

        /** This row, run with the filter settings of {@code v}. */
        RowResult with(FilterVariant v) {
            return new RowResult(shape, round, row, ran, skipped, pages, errors, timeouts, p50, p99, max, pagesById,
                    movedById, redirected, proxied, extraHops, servedBy, checkCalls, movedStateful, movedDenied,
                    checkErrors, loadBefore, loadAfter, errorKinds, v, tail, clientWorstMs, clientStalls);
        }

        /** This row with what the client-stall probe saw while its load ran. */
        RowResult with(ClientStalls s) {
            return new RowResult(shape, round, row, ran, skipped, pages, errors, timeouts, p50, p99, max, pagesById,
                    movedById, redirected, proxied, extraHops, servedBy, checkCalls, movedStateful, movedDenied,
                    checkErrors, loadBefore, loadAfter, errorKinds, variant, tail, s.worstMs(), s.stalls());
        }

        /** Pages answered within the timeout without error. */
        long answered() {
            return pages - errors - timeouts;
        }

        long moved() {
            return movedById.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Share of all pages served by another server than they were sent to; NaN through HAProxy. */
        double movedPercent() {
            return row.haproxy || pages == 0 ? Double.NaN : 100.0 * moved() / pages;
        }

        /** Share of the pages sent to {@code id} that another server served; NaN through HAProxy. */
        double movedPercent(String id) {
            long n = pagesById.getOrDefault(id, 0L);
            return row.haproxy || n == 0 ? Double.NaN : 100.0 * movedById.getOrDefault(id, 0L) / n;
        }

        String movedShare() {
            if (row.haproxy) {
                return "-";
            }
            List<String> parts = new ArrayList<>();
            for (String id : shape.ids()) {
                parts.add(Table.num(movedPercent(id)));
            }
            return String.join("/", parts);
        }

        String servedShare() {
            if (pages == 0) {
                return "-";
            }
            List<String> parts = new ArrayList<>();
            for (String id : shape.ids()) {
                parts.add(String.valueOf(Math.round(100.0 * servedBy.getOrDefault(id, 0L) / pages)));
            }
            return String.join("/", parts);
        }

        /** "(b2) Spillway redirect [spillWaiting=1] #2": the variant's settings when the row has any. */
        String title() {
            String letter = "(" + row.letter + variant.suffix() + ") ";
            String settings = variant.settings().isEmpty() ? "" : " [" + variant.label() + "]";
            return letter + row.label + settings + (round > 1 ? " #" + round : "");
        }
    }

    /** One goal of issue 11 for one row: what it says and whether the row met it. */
    record Goal(Shape shape, int round, Row row, String text, boolean met, FilterVariant variant) {
        Goal(Shape shape, int round, Row row, String text, boolean met) {
            this(shape, round, row, text, met, FilterVariant.DEFAULTS);
        }

        String line() {
            String title = "(" + row.letter + variant.suffix() + ") " + row.label
                    + (variant.settings().isEmpty() ? "" : " [" + variant.label() + "]");
            return String.format(Locale.ROOT, "shape %d%s %s: %s: %s", shape.number, round > 1 ? " #" + round : "",
                    title, text, met ? "met" : "NOT met");
        }
    }

    /** What a run produced. */
    record Report(RunInfo info, List<RowResult> rows, List<Goal> goals, Path text, Path csv, Path markdown,
            List<Path> pngs) {
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

    /** Runs every shape's rows; every process started is stopped before this returns, also on failure. */
    static Report run(Options o, PrintStream out) throws Exception {
        if (!Files.isRegularFile(o.managerConf())) {
            throw new IOException("no manager configuration at " + o.managerConf().toAbsolutePath()
                    + " (run from the repository root, or give --manager-conf)");
        }
        RunInfo info = RunInfo.capture();
        Files.createDirectories(o.out());
        Files.createDirectories(o.runDir());
        info.lines().forEach(out::println);
        out.printf("# load average at start: %s%n", RunInfo.loadAverage());
        out.printf("Rows at default settings: manager %s as shipped; filters/agents with peers, hop secret, host id,"
                + " address and ports only. Each row %d s of load, counted from its first second; client timeout %d"
                + " s. Logs: %s%n", o.managerConf(), o.seconds(), o.timeoutSeconds(), o.runDir());
        filterLines(o).forEach(l -> out.println("# " + l));
        if (!Haproxy.available() && o.rows().contains(Row.LEASTCONN)) {
            out.println("NOTE: haproxy is not on PATH (Debian: apt-get install -y haproxy): row d is skipped.");
        }
        Home home = Home.locate();
        List<RowResult> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Shape shape : o.shapes()) {
            out.printf("%n== %s%n   %s%n", shape.label(), shape.description);
            Map<String, Double> capacity = new LinkedHashMap<>();
            if (shape.cpuBound) {
                String why = CpuCgroups.unavailable();
                if (why != null) {
                    String note = shape.label() + ": skipped: " + why;
                    out.println(note);
                    notes.add(note);
                    for (int round = 1; round <= o.rounds(); round++) {
                        for (Row row : o.rows()) {
                            results.add(RowResult.skipped(shape, round, row, why));
                        }
                    }
                    continue;
                }
                double c = calibrate(o, shape, home, out);
                shape.ids().forEach(id -> capacity.put(id, c));
                notes.add(String.format(Locale.ROOT, "%s: each server's capacity measured at %.0f req/s of %s with"
                        + " a %.2f-CPU quota", shape.label(), c, o.page(shape), o.cpuQuota()));
            } else {
                shape.ids().forEach(id -> capacity.put(id, shape.capacity(id)));
            }
            for (String id : shape.ids()) {
                out.printf(Locale.ROOT, "   %s: %d workers, capacity %.0f req/s, load %.0f req/s%s (excess %.0f%% of"
                        + " its requests)%n", id, shape.workers.get(id), capacity.get(id),
                        shape.share(id, false) * capacity.get(id), shape.after == null ? ""
                        : String.format(Locale.ROOT, " then %.0f req/s", shape.share(id, true) * capacity.get(id)),
                        shape.excessPercent(id));
            }
            if (o.clientWarmupRow() && results.stream().noneMatch(RowResult::ran)) {
                warmTheLoadClient(o, shape, capacity, home, out);
            }
            for (int round = 1; round <= o.rounds(); round++) {
                for (Row row : o.rows()) {
                  for (FilterVariant v : o.variantsOf(row)) {
                    RowResult r = runRow(o, shape, round, row, v, capacity, home, out).with(v);
                    results.add(r);
                    if (r.ran()) {
                        out.printf(Locale.ROOT, "   %s: p50 %s, p99 %s, max %s ms; errors %d, timeouts %d; moved %s%%"
                                + " (%s); extra hops %s/req; pages answered %.0f/s of %.0f/s offered; load average"
                                + " %s -> %s%n", r.title(), Table.num(r.p50()), Table.num(r.p99()),
                                Table.num(r.max()), r.errors(), r.timeouts(), r.movedShare(),
                                String.join("/", shape.ids()), Table.num(r.extraHops()),
                                r.answered() / (double) o.seconds(), offered(shape, capacity), r.loadBefore(),
                                r.loadAfter());
                        out.printf(Locale.ROOT, "   %s: p99 per server %s ms (%s); p99 of the last quarter %s ms;"
                                + " client's worst stall %s ms%n", r.title(), r.tail().perServer(shape),
                                String.join("/", shape.ids()), Table.num(r.tail().p99LastQuarter()),
                                Table.num(r.clientWorstMs()));
                        String warning = clientWarning(r);
                        if (warning != null) {
                            out.println("   " + warning);
                        }
                    } else {
                        out.printf("   %s: skipped, %s%n", r.title(), r.skipped());
                    }
                  }
                }
            }
        }
        return write(o, info, results, notes, out);
    }

    /**
     * One row run before the first counted one and not counted, so that no counted row pays for this JVM's load
     * client compiling its HTTP code (session 11: the first row's client used 745–925 ms/s of CPU where later rows'
     * used ~380, and its p99 was 3706 ms against 131 ms for the same row in round 2). Every counted row still starts
     * on fresh servers and a fresh manager and is measured from its first second. Redirect when it is among the
     * rows (the client's 307 path is then warm too), else the first row.
     */
    private static void warmTheLoadClient(Options o, Shape shape, Map<String, Double> capacity, Home home,
            PrintStream out) throws Exception {
        Row row = o.rows().contains(Row.REDIRECT) ? Row.REDIRECT : o.rows().get(0);
        out.printf("   warming this program's load client on one row that is not counted (--no-client-warmup-row"
                + " skips it):%n");
        RowResult r = runRow(o, shape, 0, row, o.variantsOf(row).get(0), capacity, home, out);
        out.printf(Locale.ROOT, "   (not counted: p99 %s ms, errors %d, timeouts %d)%n", Table.num(r.p99()),
                r.errors(), r.timeouts());
    }

    /**
     * The servers of a row: a, b and c with the shape's workers, the manager in {@code mode} (REDIRECT or PROXY;
     * null: no manager), the row's filter settings in every server's file, each server put into its CPU group by
     * {@code confine} (null: none).
     */
    static BenchCluster cluster(Home home, Path runDir, String name, Map<String, Integer> workers, String mode,
            Path managerConf, BenchCluster.Confine confine, FilterVariant filter) throws IOException, InterruptedException {
        return cluster(home, runDir, name, workers, mode, managerConf, confine, filter, BenchCluster.Container.JETTY);
    }

    /** As above, the servers on {@code container}. */
    static BenchCluster cluster(Home home, Path runDir, String name, Map<String, Integer> workers, String mode,
            Path managerConf, BenchCluster.Confine confine, FilterVariant filter, BenchCluster.Container container)
            throws IOException, InterruptedException {
        Map<String, Integer> ordered = new LinkedHashMap<>(workers);
        String lines = filter.settings().isEmpty() ? ""
                : "# Set for this row (" + filter.label() + "):\n" + filter.fileLines();
        return BenchCluster.start(home, runDir, name, new BenchCluster.Layout(ordered,
                mode == null ? null : List.of("--offload.mode=" + mode), managerConf, List.of(), lines, Map.of(),
                confine, "hotspot benchmark").withContainer(container));
    }

    /**
     * Shape 4: the pages per second one CPU-bound server serves in its cgroup once warm, saturated by closed-loop
     * clients: the shape's own warm-up (whatever --warmup says, so that warm and cold rows put the same load on the
     * same servers), then 5 s counted. Counted after 2 s, it read 137 req/s where the warm server serves 195: the JIT
     * was still spending the quota.
     */
    static double calibrate(Options o, Shape shape, Home home, PrintStream out) throws Exception {
        int warm = o.smoke() ? 2 : shape.warmupSeconds;
        out.printf("   measuring the warm capacity of one server: %d closed-loop clients, %d s + 5 s...%n",
                CALIBRATION_CLIENTS, warm);
        try (CpuCgroups groups = new CpuCgroups();
             BenchCluster c = cluster(home, o.runDir(), "s" + shape.number + "-calibration",
                     shape.workers, null, o.managerConf(), (id, pid) -> groups.confine(id, o.cpuQuota(), pid),
                     o.filterSet(), o.container())) {
            String url = c.server("a").baseUrl() + o.page(shape);
            ClosedLoopClients clients = new ClosedLoopClients(url, CALIBRATION_CLIENTS, false, "calibration");
            Thread.sleep(warm * 1000L);
            long before = clients.served();
            long t0 = System.nanoTime();
            Thread.sleep(5_000);
            double perSecond = (clients.served() - before) / ((System.nanoTime() - t0) / 1e9);
            clients.stop();
            out.printf(Locale.ROOT, "   capacity: %.0f req/s per server (load average %s)%n", perSecond,
                    RunInfo.loadAverage());
            if (perSecond < 5) {
                throw new IOException("a CPU-bound server served only " + perSecond + " req/s; see " + o.runDir());
            }
            return perSecond;
        }
    }

    /** Requests/s per server id: the shape's share of each server's capacity in the first or second half. */
    static Map<String, Double> rates(Shape shape, Map<String, Double> capacity, boolean secondHalf) {
        Map<String, Double> m = new LinkedHashMap<>();
        capacity.forEach((id, c) -> m.put(id, shape.share(id, secondHalf) * c));
        return m;
    }

    /**
     * Requests/s per server id that run the whole row: the smaller of the two halves' (the whole load without a
     * step). A step up adds {@link #stepUp} at the middle; a step down stops {@link #stepDown} there.
     */
    static Map<String, Double> steady(Shape shape, Map<String, Double> capacity) {
        Map<String, Double> m = new LinkedHashMap<>();
        capacity.forEach((id, c) -> m.put(id, Math.min(shape.share(id, true), shape.share(id, false)) * c));
        return m;
    }

    /** Requests/s per server id that the first half has beyond the second (a step down); stopped at the middle. */
    static Map<String, Double> stepDown(Shape shape, Map<String, Double> capacity) {
        Map<String, Double> m = new LinkedHashMap<>();
        capacity.forEach((id, c) -> m.put(id, Math.max(0, shape.share(id, false) - shape.share(id, true)) * c));
        return m;
    }

    /** Requests/s per server id that the second half adds to the first (a step up); zero where nothing changes. */
    static Map<String, Double> stepUp(Shape shape, Map<String, Double> capacity) {
        Map<String, Double> m = new LinkedHashMap<>();
        capacity.forEach((id, c) -> m.put(id, Math.max(0, shape.share(id, true) - shape.share(id, false)) * c));
        return m;
    }

    /** Pages/s the row offers over its whole length (the mean of both halves for a step). */
    static double offered(Shape shape, Map<String, Double> capacity) {
        double sum = 0;
        for (Map.Entry<String, Double> e : capacity.entrySet()) {
            sum += (shape.share(e.getKey(), false) + shape.share(e.getKey(), true)) / 2 * e.getValue();
        }
        return sum;
    }

    /**
     * The page streams for {@code perServer} requests/s: straight to each server, or for an HAProxy row their sum to
     * HAProxy (which then picks the server).
     */
    static List<Load.Stream> pages(String page, Row row, Map<String, Double> perServer) {
        List<Load.Stream> s = new ArrayList<>();
        double total = 0;
        for (String id : perServer.keySet()) {
            double rate = perServer.get(id);
            total += rate;
            if (!row.haproxy && rate > 0) {
                s.add(new Load.Stream(id, Load.Kind.PAGE, page, rate));
            }
        }
        if (row.haproxy && total > 0) {
            s.add(new Load.Stream(LB, Load.Kind.PAGE, page, total));
        }
        return s;
    }

    /** A cart and an admin page per second to every server, always direct: they must never move. */
    static List<Load.Stream> checks(Shape shape) {
        List<Load.Stream> s = new ArrayList<>();
        for (String id : shape.ids()) {
            s.add(new Load.Stream(id, Load.Kind.CART, "/cart/add", 1));
            s.add(new Load.Stream(id, Load.Kind.ADMIN, "/admin/users", 1));
        }
        return s;
    }

    private static RowResult runRow(Options o, Shape shape, int round, Row row, FilterVariant variant,
            Map<String, Double> capacity, Home home, PrintStream out) throws Exception {
        if (row.haproxy && !Haproxy.available()) {
            return RowResult.skipped(shape, round, row, "haproxy not on PATH (Debian: apt-get install -y haproxy)");
        }
        String name = "s" + shape.number + "-r" + round + "-" + row.name().toLowerCase(Locale.ROOT) + variant.suffix();
        out.printf("   (%s%s) %s%s: starting processes...%n", row.letter, variant.suffix(), row.label,
                variant.settings().isEmpty() ? "" : " [" + variant.label() + "]");
        try (CpuCgroups groups = new CpuCgroups();
             BenchCluster c = cluster(home, o.runDir(), name, shape.workers, row.mode, o.managerConf(),
                     shape.cpuBound ? (id, pid) -> groups.confine(id, o.cpuQuota(), pid) : null, variant,
                     o.container())) {
            Map<String, String> bases = c.baseUrls();
            try (Haproxy lb = row.haproxy ? Haproxy.start("leastconn", c.ports(), o.runDir()) : null) {
                if (lb != null) {
                    bases.put(LB, "http://127.0.0.1:" + lb.port() + BenchCluster.CONTEXT);
                    awaitPage(bases.get(LB) + "/slow?ms=0");
                }
                // With --warm-client the load starts on the warm-up's connections, as a server's clients stay
                // connected when its load steps up. A fresh client opens its whole share at once in the load's first
                // second, and only where it connects to the servers itself: behind HAProxy the servers keep the
                // warm-up's connections.
                Load main = new Load(bases);
                try {
                    warmUp(o, shape, row, capacity, o.warmClient() ? main : null, bases);
                    if (!o.warmClient()) {
                        main.close();
                        main = new Load(bases);
                    }
                    List<Long> pids = shape.ids().stream().map(id -> c.server(id).process().pid()).toList();
                    return load(o, shape, round, row, name, capacity, main, bases, pids, out);
                } finally {
                    main.close();
                }
            }
        }
    }

    /**
     * The JIT warm-up at {@link #WARMUP_SHARE} of each server's capacity, not recorded: on {@code client} (left
     * stopped and idle, its connections open), or on a client of its own when null.
     */
    private static void warmUp(Options o, Shape shape, Row row, Map<String, Double> capacity, Load client,
            Map<String, String> bases) throws InterruptedException {
        if (o.warmup(shape) <= 0) {
            return;
        }
        Map<String, Double> light = new LinkedHashMap<>();
        capacity.forEach((id, cap) -> light.put(id, cap * WARMUP_SHARE));
        Load w = client != null ? client : new Load(bases);
        try {
            List<Load.Stream> streams = new ArrayList<>(pages(o.page(shape), row, light));
            streams.addAll(checks(shape));
            w.start(null, streams);
            Thread.sleep(o.warmup(shape) * 1000L);
            w.stop();
            w.awaitIdle(60_000);
        } finally {
            if (client == null) {
                w.close();
            }
        }
    }

    /** The row's counted load, from its first second, its first streams on {@code main}. */
    private static RowResult load(Options o, Shape shape, int round, Row row, String name,
            Map<String, Double> capacity, Load main, Map<String, String> bases, List<Long> pids, PrintStream out)
            throws Exception {
        String loadBefore = RunInfo.loadAverage();
        // Before session 8 a step down ran its first half's load all row: only a step up was split.
        List<Load.Stream> first = new ArrayList<>(pages(o.page(shape), row, steady(shape, capacity)));
        first.addAll(checks(shape));
        List<Load.Stream> firstHalfOnly = shape.after == null ? List.of()
                : pages(o.page(shape), row, stepDown(shape, capacity));
        List<Load.Stream> extra = shape.after == null ? List.of()
                : pages(o.page(shape), row, stepUp(shape, capacity));
        try (Load early = new Load(bases); Load step = new Load(bases);
             ClientStalls stalls = ClientStalls.start()) {
            long t0 = System.nanoTime();
            java.time.Instant start = java.time.Instant.now();
            out.printf("   %s: load from %s%n", row.title(), start);
            CpuStatTrace trace = shape.cpuBound ? new CpuStatTrace(shape.ids(),
                    o.runDir().resolve(name + "-cpu-stat.csv"), t0) : null;
            main.start("row", first);
            ServerStall stall = ServerStall.start(o.stall(), pids, t0, out, row.title());
            if (!firstHalfOnly.isEmpty()) {
                early.start("row", firstHalfOnly);
            }
            if (shape.after != null) {
                sleepUntil(t0 + o.seconds() * 500_000_000L);
                early.stop();
                if (!extra.isEmpty()) {
                    step.start("row", extra);
                }
            }
            sleepUntil(t0 + o.seconds() * 1_000_000_000L);
            if (stall != null) {
                stall.close();
            }
            main.stop();
            step.stop();
            stalls.close();
            String loadAfter = RunInfo.loadAverage();
            if (trace != null) {
                trace.close();
            }
            boolean idle = main.awaitIdle(120_000) & early.awaitIdle(10_000) & step.awaitIdle(10_000);
            long missing = main.outstanding() + early.outstanding() + step.outstanding();
            if (!idle) {
                out.printf("   %s: %d requests still unanswered 120 s after the load ended; counted as"
                        + " timeouts%n", row.title(), missing);
            }
            List<Load.Result> all = new ArrayList<>(main.results());
            all.addAll(early.results());
            all.addAll(step.results());
            PerSecond.write(all, t0, o.runDir().resolve(name + "-per-second.csv"));
            RequestLog.write(all, t0, start.getEpochSecond() * 1_000_000 + start.getNano() / 1000,
                    o.runDir().resolve(name + "-requests.csv"));
            return figures(shape, round, row, all, missing, o.timeoutSeconds() * 1_000_000_000L, loadBefore,
                    loadAfter).with(stalls);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long now;
        while ((now = System.nanoTime()) < nanoTime) {
            Thread.sleep(Math.max(1, (nanoTime - now) / 1_000_000));
        }
    }

    /**
     * The figures of one row from its results. A page answered later than {@code timeoutNanos} after it was due, or
     * never ({@code unanswered}), is a timeout and counts {@code timeoutNanos} in the percentiles; any other failure
     * is an error.
     */
    static RowResult figures(Shape shape, int round, Row row, List<Load.Result> rs, long unanswered,
            long timeoutNanos, String loadBefore, String loadAfter) {
        List<Load.Result> pages = rs.stream().filter(r -> r.kind() == Load.Kind.PAGE).toList();
        List<Load.Result> checks = rs.stream().filter(r -> r.kind() != Load.Kind.PAGE).toList();
        long[] lat = new long[pages.size() + (int) unanswered];
        long timeouts = unanswered;
        long errors = 0;
        int i = 0;
        for (Load.Result r : pages) {
            boolean late = r.latencyNanos() > timeoutNanos;
            lat[i++] = Math.min(r.latencyNanos(), timeoutNanos);
            if (late) {
                timeouts++;
            } else if (r.error() != null) {
                errors++;
            }
        }
        while (i < lat.length) {
            lat[i++] = timeoutNanos;
        }
        Arrays.sort(lat);
        Map<String, Long> pagesById = new LinkedHashMap<>();
        Map<String, Long> movedById = new LinkedHashMap<>();
        long redirected = 0;
        long proxied = 0;
        if (!row.haproxy) {
            for (Load.Result r : pages) {
                pagesById.merge(r.hit(), 1L, Long::sum);
                if (r.moved()) {
                    movedById.merge(r.hit(), 1L, Long::sum);
                    if (r.redirected()) {
                        redirected++;
                    } else {
                        proxied++;
                    }
                }
            }
        }
        long total = lat.length;
        double hops = total == 0 ? Double.NaN : row.haproxy ? 1.0 : (double) (redirected + proxied) / total;
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
        return new RowResult(shape, round, row, true, null, total, errors, timeouts, pct(lat, 50), pct(lat, 99),
                lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6, pagesById, movedById, redirected, proxied,
                hops, served, checks.size(), cartMoved, adminMoved, checkErrors, loadBefore, loadAfter, kinds,
                FilterVariant.DEFAULTS, TailFigures.of(shape, row.haproxy, pages, timeoutNanos), Double.NaN, 0);
    }

    /**
     * "WARNING shape 6 (b) ...: the client fell behind ..." when the client-stall probe saw a stall longer than
     * {@link ClientStalls#WARN_MS} during the row's load; null when it kept its schedule or the row did not run.
     */
    static String clientWarning(RowResult r) {
        if (!r.ran() || r.clientStalls() == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "WARNING shape %d %s: the client fell behind its schedule %d time(s) by"
                + " more than %.0f ms (worst %.0f ms) and then sent what was due in a burst: the client, short of"
                + " CPU, added to this row's tail", r.shape().number, r.title(), r.clientStalls(), ClientStalls.WARN_MS,
                r.clientWorstMs());
    }

    /** Nearest-rank percentile in milliseconds; NaN for no data. */
    static double pct(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
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

    // ------------------------------------------------------------------------------------------------ goals

    static final double LEASTCONN_NEVER_ABOVE = 1.25;
    static final double NOTHING_TO_GAIN_P99 = 1.05;
    static final double MOVED_SLACK_POINTS = 5;
    static final double NOTHING_TO_GAIN_MOVED = 5;

    /**
     * Issue 11's goals for the Spillway rows, each against the rows of the same shape and round. Shapes 1-4: p99 at
     * most HAProxy leastconn's (never above 1.25 times), no error or timeout, and each server moving at most its
     * excess plus 5 points. Shape 5: p99 at most 1.05 times no offloading's, at most 5% of the pages moved.
     */
    static List<Goal> goals(List<RowResult> rows) {
        List<Goal> goals = new ArrayList<>();
        for (RowResult s : rows) {
            if (!s.ran() || !s.row().spillway()) {
                continue;
            }
            Shape shape = s.shape();
            if (shape.nothingToGain) {
                RowResult none = find(rows, s, Row.NONE);
                goals.add(none == null ? goal(s, "p99 vs no offloading: not measured in this run", false)
                        : goal(s, String.format(Locale.ROOT, "p99 %s ms = %.2fx no offloading's %s ms (goal <= %.2fx)",
                        Table.num(s.p99()), s.p99() / none.p99(), Table.num(none.p99()), NOTHING_TO_GAIN_P99),
                        s.p99() <= NOTHING_TO_GAIN_P99 * none.p99()));
                goals.add(goal(s, String.format(Locale.ROOT, "moved %s%% of all pages (goal <= %.0f%%)",
                        Table.num(s.movedPercent()), NOTHING_TO_GAIN_MOVED), s.movedPercent() <= NOTHING_TO_GAIN_MOVED));
                continue;
            }
            RowResult lc = find(rows, s, Row.LEASTCONN);
            if (lc == null) {
                goals.add(goal(s, "p99 vs HAProxy leastconn: not measured in this run", false));
            } else {
                double ratio = s.p99() / lc.p99();
                goals.add(goal(s, String.format(Locale.ROOT, "p99 %s ms = %.2fx HAProxy leastconn's %s ms (goal <="
                        + " 1.00x)", Table.num(s.p99()), ratio, Table.num(lc.p99())), ratio <= 1.0));
                goals.add(goal(s, String.format(Locale.ROOT, "p99 = %.2fx leastconn's (never > %.2fx)", ratio,
                        LEASTCONN_NEVER_ABOVE), ratio <= LEASTCONN_NEVER_ABOVE));
            }
            goals.add(goal(s, String.format(Locale.ROOT, "errors %d + timeouts %d (goal 0)", s.errors(),
                    s.timeouts()), s.errors() + s.timeouts() == 0));
            List<String> parts = new ArrayList<>();
            boolean within = true;
            for (String id : shape.ids()) {
                double limit = shape.excessPercent(id) + MOVED_SLACK_POINTS;
                double moved = s.movedPercent(id);
                within &= !(moved > limit);
                parts.add(String.format(Locale.ROOT, "%s %s%% (<= %.1f%%)", id, Table.num(moved), limit));
            }
            goals.add(goal(s, "moved of each server's pages: " + String.join(", ", parts)
                    + " (goal: excess + 5 points)", within));
        }
        return goals;
    }

    private static Goal goal(RowResult r, String text, boolean met) {
        return new Goal(r.shape(), r.round(), r.row(), text, met, r.variant());
    }

    private static RowResult find(List<RowResult> rows, RowResult like, Row row) {
        return rows.stream().filter(r -> r.ran() && r.shape() == like.shape() && r.round() == like.round()
                && r.row() == row).findFirst().orElse(null);
    }

    // ------------------------------------------------------------------------------------------------ output

    static final String[] COLUMNS = {"shape", "row", "pages", "p50 ms", "p99 ms", "max ms", "errors/timeouts",
        "p99 ms per server", "p99 ms last quarter", "moved % per server", "extra hops/req",
        "served % per server", "load avg start -> end", "stateful/denied moved"};

    static Table table(List<RowResult> rows) {
        Table t = new Table(COLUMNS);
        for (RowResult r : rows) {
            if (!r.ran()) {
                t.row(r.shape().number, r.title(), "skipped", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-");
                continue;
            }
            t.row(r.shape().number, r.title(), r.pages(), Table.num(r.p50()), Table.num(r.p99()), Table.num(r.max()),
                    r.errors() + "/" + r.timeouts(), r.tail().perServer(r.shape()),
                    Table.num(r.tail().p99LastQuarter()), r.movedShare(), Table.num(r.extraHops()), r.servedShare(),
                    r.loadBefore().split(" ")[0] + " -> " + r.loadAfter().split(" ")[0],
                    (r.movedStateful() + r.movedDenied()) + " of " + r.checkCalls());
        }
        return t;
    }

    static final String[] CSV_COLUMNS = {"shape", "round", "row", "label", "ran", "pages", "errors", "timeouts",
        "p50_ms", "p99_ms", "max_ms", "moved_pct", "moved_pct_a", "moved_pct_b", "moved_pct_c", "excess_pct_a",
        "excess_pct_b", "excess_pct_c", "redirected", "proxied", "extra_hops_per_req", "served_a", "served_b",
        "served_c", "check_calls", "moved_stateful", "moved_denied", "check_errors", "load_avg_start", "load_avg_end",
        "seconds", "timeout_s", "cores", "java", "haproxy", "command", "started", "filter_settings", "servers",
        "moved_pct_by_server", "excess_pct_by_server", "served_by_server", "p99_ms_by_server",
        "p99_ms_last_quarter", "client_worst_stall_ms", "client_stalls"};

    static Table csv(Options o, RunInfo info, List<RowResult> rows) {
        Table t = new Table(CSV_COLUMNS);
        for (RowResult r : rows) {
            t.row(r.shape().number, r.round(), r.row().letter + r.variant().suffix(), r.row().label, r.ran(), r.pages(), r.errors(),
                    r.timeouts(), raw(r.p50()), raw(r.p99()), raw(r.max()), raw(r.movedPercent()),
                    raw(r.movedPercent("a")), raw(r.movedPercent("b")), raw(r.movedPercent("c")),
                    raw(r.shape().excessPercent("a")), raw(r.shape().excessPercent("b")),
                    raw(r.shape().excessPercent("c")), r.redirected(), r.proxied(), raw(r.extraHops()),
                    r.servedBy().getOrDefault("a", 0L), r.servedBy().getOrDefault("b", 0L),
                    r.servedBy().getOrDefault("c", 0L), r.checkCalls(), r.movedStateful(), r.movedDenied(),
                    r.checkErrors(), r.loadBefore(), r.loadAfter(), o.seconds(), o.timeoutSeconds(), info.cores(),
                    info.java(), info.haproxy(), info.command(), info.started(), r.variant().label(),
                    String.join(" ", r.shape().ids()), byServer(r.shape(), r::movedPercent),
                    byServer(r.shape(), r.shape()::excessPercent),
                    byServer(r.shape(), id -> (double) r.servedBy().getOrDefault(id, 0L)),
                    r.tail().csvPerServer(r.shape()), raw(r.tail().p99LastQuarter()), raw(r.clientWorstMs()),
                    r.clientStalls());
        }
        return t;
    }

    /** "a=1.000 b=2.000 d=0.000": a figure per server of the shape (every shape's servers, also beyond a, b, c). */
    private static String byServer(Shape shape, java.util.function.ToDoubleFunction<String> f) {
        List<String> parts = new ArrayList<>();
        shape.ids().forEach(id -> parts.add(id + "=" + raw(f.applyAsDouble(id))));
        return String.join(" ", parts);
    }

    private static String raw(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** What the run's filters were set to beyond the defaults: one line per variant; none at defaults. */
    static List<String> filterLines(Options o) {
        List<String> lines = new ArrayList<>();
        lines.add("container (--container): " + containerLabel(o.container()));
        lines.add("priority: " + ServerPriority.describe());
        if (o.variants().size() > 1) {
            o.variants().forEach(v -> lines.add("filter variant " + v.index() + " (rows b" + v.index() + ", c"
                    + v.index() + "): " + v.label()));
        } else if (!o.filterSet().settings().isEmpty()) {
            lines.add("filter settings (every server, every row): " + o.filterSet().label());
        }
        return lines;
    }

    /** "tomcat (embedded Tomcat 11.0.27, TomcatServerMain)": what the servers of every row ran on. */
    static String containerLabel(BenchCluster.Container c) {
        return switch (c) {
            case JETTY -> "jetty (embedded Jetty " + org.eclipse.jetty.util.Jetty.VERSION + ", WebServerMain)";
            case TOMCAT -> "tomcat (embedded Tomcat " + tomcatVersion() + ", TomcatServerMain: maxThreads = workers, acceptCount 100, maxConnections 8192 as Tomcat"
                    + " ships them)";
        };
    }

    private static String tomcatVersion() {
        try {
            return BenchCluster.Container.tomcatVersion(Home.locate());
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static Report write(Options o, RunInfo info, List<RowResult> rows, List<String> notes, PrintStream out)
            throws IOException {
        Table table = table(rows);
        List<Goal> goals = goals(rows);
        StringBuilder text = new StringBuilder();
        info.lines().forEach(l -> text.append(l).append('\n'));
        text.append(String.format(Locale.ROOT, "# rows:    %d s of load each, counted from the first second; client"
                + " timeout %d s; JIT warm-up %s at 30%% per fresh row, not counted; %d round(s)%s%n", o.seconds(),
                o.timeoutSeconds(), o.warmupSeconds() >= 0 ? o.warmupSeconds() + " s"
                : "5 s (shape 4: " + Shape.CPU_WARMUP_SECONDS + " s)", o.rounds(), o.smoke() ? " (SMOKE: figures mean nothing)" : ""));
        if (o.stall() != null) {
            text.append("# stall (--stall): ").append(o.stall().label()).append(", every counted row\n");
        }
        text.append("# manager: ").append(o.managerConf()).append(" as shipped (+ ports, offload.mode per row)\n");
        filterLines(o).forEach(l -> text.append("# ").append(l).append('\n'));
        text.append("# load average at the end: ").append(RunInfo.loadAverage()).append('\n');
        notes.forEach(n -> text.append("# ").append(n).append('\n'));
        text.append('\n').append(table.toText()).append('\n');
        goals.forEach(g -> text.append(g.line()).append('\n'));
        rows.stream().map(HotspotBench::clientWarning).filter(w -> w != null)
                .forEach(w -> text.append(w).append('\n'));
        for (RowResult r : rows) {
            if (r.ran() && !r.errorKinds().isEmpty()) {
                r.errorKinds().entrySet().stream().limit(4).forEach(e -> text.append(String.format(Locale.ROOT,
                        "shape %d %s errors: %dx %s%n", r.shape().number, r.title(), e.getValue(), e.getKey())));
            }
        }
        Path txt = o.out().resolve("hotspot.txt");
        Path md = o.out().resolve("hotspot.md");
        Path csvFile = o.out().resolve("hotspot.csv");
        Files.writeString(txt, text);
        StringBuilder mdText = new StringBuilder(String.join("\n", info.lines())).append("\n\n")
                .append(table.toMarkdown()).append('\n');
        goals.forEach(g -> mdText.append("- ").append(g.line()).append('\n'));
        Files.writeString(md, mdText);
        Files.writeString(csvFile, csv(o, info, rows).toCsv());
        List<Path> pngs = new ArrayList<>();
        for (Shape shape : o.shapes()) {
            List<RowResult> ran = rows.stream().filter(r -> r.ran() && r.shape() == shape).toList();
            if (ran.isEmpty()) {
                continue;
            }
            Path png = o.out().resolve("hotspot-shape" + shape.number + ".png");
            LatencyChart.write(png, shape, ran, info, RunInfo.loadAverage());
            pngs.add(png);
        }
        out.println();
        out.print(text);
        out.println("Written: " + txt + ", " + md + ", " + csvFile + (pngs.isEmpty() ? "" : ", " + pngs));
        return new Report(info, rows, goals, txt, csvFile, md, pngs);
    }
}
