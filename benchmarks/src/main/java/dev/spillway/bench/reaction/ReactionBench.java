package dev.spillway.bench.reaction;

import dev.spillway.bench.reaction.Analysis.Figures;
import dev.spillway.bench.reaction.Analysis.Phases;
import dev.spillway.bench.reaction.Analysis.Request;
import dev.spillway.bench.reaction.Analysis.Sample;
import dev.spillway.bench.report.Arguments;
import dev.spillway.bench.report.Usage;
import dev.spillway.demo.Cluster;
import dev.spillway.demo.FilterProbe;
import dev.spillway.demo.Home;
import dev.spillway.demo.Load;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Properties;

/**
 * Scenario 4, reaction: how fast the manager starts moving requests off a server whose load steps from 50% to
 * 150% of its capacity, how steady it then holds, and how fast it stops once the load falls back.
 *
 * <p>Per row (one set of manager settings, one manager jar), a fresh demo cluster (servers a, b, c and the manager,
 * each its own JVM) runs:
 * <ol>
 *   <li>warm-up at the low rates (not recorded), then a <b>calibration</b> before the manager starts: a gets twice
 *       its nominal capacity and its answered rate while backlogged is its measured capacity;</li>
 *   <li>the manager starts; <b>baseline</b>: a gets {@code low} x capacity;</li>
 *   <li><b>overload</b>: a steps to {@code high} x capacity and holds (5 minutes by default);</li>
 *   <li><b>after</b>: a drops back to {@code low} x capacity.</li>
 * </ol>
 * Capacity is made deterministic: every request is the sample app's {@code /slow?ms=N} page (sleep-based service
 * time) on a server with a known number of worker threads, so capacity = threads / service time. b and c get a light
 * constant load ({@code peer} x capacity) throughout. All load is open-loop (constant rate whatever the answers).
 * Every 250 ms the program reads each filter's MXBean (directive, queue delay) over JMX.
 *
 * <p>Settings rows: {@code defaults} = the manager's built-in defaults (no config file), plus only the ports;
 * {@code demo} = conf/demo/manager.properties as is.
 *
 * <p>Writes into the output directory: {@code report.txt} (run info, table, definitions), {@code report.properties}
 * (every figure, machine-readable), and per row {@code <row>/timeline.csv} (per second), {@code samples.csv}
 * (per 250 ms), {@code changes.csv}, {@code decisions.json} (the manager's decision log), {@code timeline.png} and
 * {@code run/} (the processes' logs).
 */
public final class ReactionBench {
    static final String HOT = "a";
    static final long SAMPLE_MILLIS = 250;

    /** Command-line options; see {@link #usage()}. */
    record Options(double warmupS, double calibrateS, double baselineS, double holdS, double afterS, double settleS,
            double steadyWindowS, double tolerance, int threads, int serviceMillis, double low, double high,
            double peer, List<String> settings, Map<String, Path> managerJars, List<String> extraFlags, Path out,
            boolean smoke) {

        static Options parse(String[] args) {
            boolean smoke = List.of(args).contains("--smoke");
            double warmup = smoke ? 1 : 5;
            double calibrate = smoke ? 2 : 6;
            double baseline = smoke ? 2 : 30;
            double hold = smoke ? 8 : 300;
            double after = smoke ? 5 : 60;
            double settle = smoke ? 0 : 60;
            double window = smoke ? 3 : 30;
            double tolerance = 0.05;
            int threads = 4;
            int service = 100;
            double low = 0.5;
            double high = 1.5;
            double peer = 0.25;
            List<String> settings = List.of("defaults");
            Map<String, Path> jars = new LinkedHashMap<>();
            List<String> extra = new ArrayList<>();
            Path out = null;
            for (Arguments.Option opt : Arguments.parse(args, Set.of("--smoke")).options()) {
                String key = opt.key();
                String v = opt.value();
                switch (key) {
                    case "--warmup" -> warmup = seconds(key, v, 0);
                    case "--calibrate" -> calibrate = seconds(key, v, 1);
                    case "--baseline" -> baseline = seconds(key, v, 1);
                    case "--hold" -> hold = seconds(key, v, 1);
                    case "--after" -> after = seconds(key, v, 1);
                    case "--settle" -> settle = seconds(key, v, 0);
                    case "--steady-window" -> window = seconds(key, v, 1);
                    case "--tolerance" -> tolerance = Usage.number(key, v, 0, 1);
                    case "--threads" -> threads = (int) Usage.number(key, v, 1, 200);
                    case "--service-ms" -> service = (int) Usage.number(key, v, 1, 10_000);
                    case "--low" -> low = Usage.number(key, v, 0.01, 10);
                    case "--high" -> high = Usage.number(key, v, 0.01, 10);
                    case "--peer" -> peer = Usage.number(key, v, 0, 10);
                    case "--settings" -> {
                        settings = List.of(v.split(","));
                        for (String s : settings) {
                            if (!s.equals("defaults") && !s.equals("demo")) {
                                throw new Usage("--settings: '" + s + "' is neither defaults nor demo");
                            }
                        }
                    }
                    case "--manager-jar" -> {
                        int at = v.indexOf('=');
                        if (at <= 0) {
                            throw new Usage("--manager-jar: expected LABEL=PATH, got '" + v + "'");
                        }
                        Path p = Path.of(v.substring(at + 1));
                        if (!Files.isRegularFile(p)) {
                            throw new Usage("--manager-jar: no file " + p);
                        }
                        jars.put(v.substring(0, at), p);
                    }
                    case "--manager-flag" -> extra.add(v);
                    case "--out" -> out = Path.of(v);
                    default -> throw new Usage("unknown option " + key);
                }
            }
            if (settle >= hold) {
                throw new Usage("--settle (" + settle + " s) must be shorter than --hold (" + hold + " s)");
            }
            if (out == null) {
                String base = System.getProperty("bench.out", "benchmarks/target");
                out = Path.of(base, "reaction-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            }
            return new Options(warmup, calibrate, baseline, hold, after, settle, window, tolerance, threads, service,
                    low, high, peer, settings, jars, extra, out, smoke);
        }

        double capacity() {
            return threads * 1000.0 / serviceMillis;
        }

        private static double seconds(String key, String v, double min) {
            return Usage.number(key, v, min, 86_400);
        }

    }

    static String usage() {
        return String.join("\n",
                "usage: reaction-bench.sh [--smoke] [--settings defaults,demo] [--hold S] [--baseline S] [--after S]",
                "         [--settle S] [--steady-window S] [--tolerance F] [--calibrate S] [--warmup S]",
                "         [--threads N] [--service-ms N] [--low F] [--high F] [--peer F]",
                "         [--manager-jar LABEL=PATH]... [--manager-flag=--key=value]... [--out DIR]",
                "  defaults: 4 threads x /slow?ms=100 (capacity 40/s); a at 0.5 -> 1.5 -> 0.5 of it; b, c at 0.25;",
                "  baseline 30 s, hold 300 s, after 60 s; changes counted per 30 s from 60 s after the step;",
                "  steady fraction = holds within +-0.05 for 30 s. --smoke: seconds (2/8/5), for the build.");
    }

    /** One row: a label, which settings, which manager jar. */
    record Row(String label, String settings, String jarLabel, Path managerJar) {
    }

    /** What one row measured. */
    record RowResult(Row row, double measuredCapacity, Figures figures, List<String> managerCommand,
            double loadAverageStart, double loadAverageEnd, double meanCpu, Path dir) {
    }

    private ReactionBench() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Usage u) {
            if (u.getMessage() != null) {
                System.err.println("reaction-bench: " + u.getMessage());
            }
            System.err.println(usage());
            System.exit(u.getMessage() == null ? 0 : 2);
            return;
        }
        run(o, String.join(" ", args));
    }

    /** Runs every row and writes the outputs; returns the results (the smoke test reads the files). */
    static List<RowResult> run(Options o, String argLine) throws Exception {
        Home home = Home.locate();
        Files.createDirectories(o.out());
        Map<String, Path> jars = o.managerJars().isEmpty() ? Map.of("", home.managerJar()) : o.managerJars();
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Path> j : jars.entrySet()) {
            for (String s : o.settings()) {
                String label = j.getKey().isEmpty() ? s : j.getKey() + "-" + s;
                rows.add(new Row(label, s, j.getKey(), j.getValue()));
            }
        }
        List<RowResult> results = new ArrayList<>();
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "== row %s (%s settings, manager %s)%n", r.label(), r.settings(),
                    r.managerJar());
            RowResult res = runRow(o, new Home(home.dir(), home.war(), r.managerJar(), home.parentWatchJar()), r);
            results.add(res);
            System.out.println(Report.rowSummary(res));
        }
        Report.write(o, argLine, results);
        System.out.println(Files.readString(o.out().resolve("report.txt")));
        System.out.println("outputs in " + o.out().toAbsolutePath());
        return results;
    }

    private static RowResult runRow(Options o, Home home, Row row) throws Exception {
        Path dir = o.out().resolve(row.label());
        Files.createDirectories(dir);
        double cap = o.capacity();
        String page = "/slow?ms=" + o.serviceMillis();
        double loadStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Cluster.Settings settings = new Cluster.Settings(dir.resolve("run"), 0, o.threads(), List.of());
        try (Cluster cluster = Cluster.start(home, settings)) {
            Map<String, String> urls = new LinkedHashMap<>();
            cluster.servers().forEach(s -> urls.put(s.id(), s.baseUrl()));
            try (Load load = new Load(urls)) {
                if (o.warmupS() > 0) {
                    load.start(null, streams(page, o.low() * cap, o.peer() * cap));
                    sleep(o.warmupS());
                    load.stop();
                    load.awaitIdle(30_000);
                }
                double measured = calibrate(load, page, cap, o.calibrateS());
                System.out.printf(Locale.ROOT, "   capacity: nominal %.1f/s (%d threads / %d ms), measured %.1f/s%n",
                        cap, o.threads(), o.serviceMillis(), measured);
                // a's delay figures still decay from the calibration backlog: a manager started now would act on it
                sleep(o.smoke() ? 0 : 5);

                if (row.settings().equals("demo")) {
                    cluster.startManager(false, o.extraFlags().toArray(String[]::new));
                } else {
                    List<String> flags = new ArrayList<>(o.extraFlags());
                    cluster.startManagerWithDefaults(flags.toArray(String[]::new));
                }
                // let the manager see a few cycles of the idle cluster before the clock starts
                load.start(null, streams(page, o.low() * cap, o.peer() * cap));
                sleep(o.smoke() ? 1 : 5);
                load.stop();

                Sampler sampler = new Sampler(cluster);
                long t0 = System.nanoTime();
                sampler.start(t0);
                load.start("baseline", streams(page, o.low() * cap, o.peer() * cap));
                sleep(o.baselineS());
                load.stop();
                long step = System.nanoTime();
                System.out.printf(Locale.ROOT, "   step to %.0f%% at %.1f s%n", o.high() * 100, (step - t0) / 1e9);
                load.start("overload", streams(page, o.high() * cap, o.peer() * cap));
                sleep(o.holdS());
                load.stop();
                long drop = System.nanoTime();
                System.out.printf(Locale.ROOT, "   drop to %.0f%% at %.1f s%n", o.low() * 100, (drop - t0) / 1e9);
                load.start("after", streams(page, o.low() * cap, o.peer() * cap));
                sleep(o.afterS());
                load.stop();
                long end = System.nanoTime();
                load.awaitIdle(60_000);
                sampler.close();
                String decisions = get(cluster.dashboardUrl() + "api/decisions");
                Files.writeString(dir.resolve("decisions.json"), decisions);

                List<Request> requests = new ArrayList<>();
                for (Load.Result r : load.results()) {
                    if (HOT.equals(r.hit()) && r.phase() != null && !r.phase().equals("calibrate")) {
                        requests.add(new Request((r.dueNanos() - t0) / 1e6, (r.dueNanos() + r.latencyNanos() - t0) / 1e6,
                                r.moved(), r.error() != null, r.redirected(),
                                (r.dueNanos() + r.firstAnswerNanos() - t0) / 1e6));
                    }
                }
                requests.sort((x, y) -> Double.compare(x.dueMillis(), y.dueMillis()));
                Phases phases = new Phases((step - t0) / 1e6, (drop - t0) / 1e6, (end - t0) / 1e6);
                Figures f = Analysis.analyse(sampler.samples(HOT), requests, phases, o.settleS() * 1000,
                        o.steadyWindowS() * 1000, o.tolerance());
                List<TimelinePlot.Bin> bins = Report.bins(sampler.samples(HOT), requests, phases);
                Report.writeRowFiles(dir, sampler, requests, f, bins);
                TimelinePlot.write(dir.resolve("timeline.png"), "Reaction: a steps " + pct(o.low()) + " -> "
                        + pct(o.high()) + " -> " + pct(o.low()) + " of capacity (" + row.label() + " settings)",
                        bins, phases.stepMillis() / 1000, phases.dropMillis() / 1000);
                double loadEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                return new RowResult(row, measured, f, cluster.managerCommand(), loadStart, loadEnd,
                        sampler.meanCpu(), dir);
            }
        }
    }

    private static String pct(double f) {
        return Math.round(f * 100) + "%";
    }

    /** a at twice its nominal capacity, no manager: the rate it answers at while backlogged is its capacity. */
    private static double calibrate(Load load, String page, double cap, double seconds) throws InterruptedException {
        int from = load.resultCount();
        long start = System.nanoTime();
        load.start("calibrate", List.of(new Load.Stream(HOT, Load.Kind.PAGE, page, 2 * cap)));
        sleep(seconds);
        load.stop();
        long stop = System.nanoTime();
        load.awaitIdle(120_000);
        // completions inside [start + a quarter, stop]: the queue is full by then, every thread busy
        long lo = start + (stop - start) / 4;
        long n = load.resultsSince(from).stream().filter(r -> "calibrate".equals(r.phase()) && r.error() == null)
                .filter(r -> {
                    long done = r.dueNanos() + r.latencyNanos();
                    return done >= lo && done <= stop;
                }).count();
        return n / ((stop - lo) / 1e9);
    }

    static List<Load.Stream> streams(String page, double hotRate, double peerRate) {
        List<Load.Stream> s = new ArrayList<>();
        s.add(new Load.Stream(HOT, Load.Kind.PAGE, page, hotRate));
        if (peerRate > 0) {
            for (String id : Cluster.IDS) {
                if (!id.equals(HOT)) {
                    s.add(new Load.Stream(id, Load.Kind.PAGE, page, peerRate));
                }
            }
        }
        return s;
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    private static String get(String url) {
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return "[]";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "[]";
        }
    }

    /** Versions of what ran, for the report. */
    static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        v.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        v.put("spillway", pomVersion("dev.spillway", "spillway-manager"));
        v.put("jetty", pomVersion("org.eclipse.jetty", "jetty-server"));
        v.put("git", git());
        return v;
    }

    private static String pomVersion(String group, String artifact) {
        try (InputStream in = ReactionBench.class.getResourceAsStream("/META-INF/maven/" + group + "/" + artifact
                + "/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "?");
            }
        } catch (IOException ignored) {
            // below
        }
        Package p = artifact.startsWith("jetty") ? org.eclipse.jetty.server.Server.class.getPackage() : null;
        return p != null && p.getImplementationVersion() != null ? p.getImplementationVersion() : "?";
    }

    private static String git() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? s : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** Reads every server's filter MXBean every 250 ms, and the machine's CPU. */
    static final class Sampler implements AutoCloseable {
        record Tick(double tMillis, Map<String, FilterProbe.Reading> readings, double cpu) {
        }

        private final Map<String, FilterProbe> probes = new LinkedHashMap<>();
        private final List<Tick> ticks = new ArrayList<>();
        private volatile boolean running = true;
        private Thread thread;

        Sampler(Cluster cluster) {
            cluster.servers().forEach(s -> probes.put(s.id(), cluster.probe(s.id())));
        }

        void start(long t0) {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            thread = new Thread(() -> {
                long next = System.nanoTime();
                while (running) {
                    long now = System.nanoTime();
                    Map<String, FilterProbe.Reading> r = new LinkedHashMap<>();
                    probes.forEach((id, p) -> r.put(id, p.read()));
                    synchronized (ticks) {
                        ticks.add(new Tick((now - t0) / 1e6, r, os.getCpuLoad()));
                    }
                    next += SAMPLE_MILLIS * 1_000_000;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "reaction-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        List<Tick> ticks() {
            synchronized (ticks) {
                return List.copyOf(ticks);
            }
        }

        List<Sample> samples(String id) {
            List<Sample> out = new ArrayList<>();
            for (Tick t : ticks()) {
                FilterProbe.Reading r = t.readings().get(id);
                out.add(r == null ? new Sample(t.tMillis(), null, List.of(), Double.NaN, Double.NaN, Double.NaN)
                        : new Sample(t.tMillis(), r.mode(), r.targets(), r.fraction(), r.queueDelayMillis(),
                                r.queueLength()));
            }
            return out;
        }

        double meanCpu() {
            return ticks().stream().mapToDouble(Tick::cpu).filter(c -> c >= 0).average().orElse(Double.NaN);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.join(5_000);
            }
            probes.values().forEach(FilterProbe::close);
        }
    }
}
