package dev.spillway.bench.cache;

import dev.spillway.bench.cluster.BenchCluster;
import dev.spillway.bench.report.RunInfo;
import dev.spillway.bench.report.Arguments;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The page-cache benchmark (issue 14, "cache hits are served here"): server a is overloaded and half of its pages are
 * cache hits. Three web servers a, b, c (the demo's {@code WebServerMain} with the sample WAR, the filter and its
 * embedded agent, one JVM each; {@code W} workers) and the manager JAR at its shipped settings. Only a gets load, open
 * loop from the first second: {@code L}% of its capacity ({@code W} × 1000 / 100 ms pages/s), half of it the hit
 * pages ({@code /cached?key=hot-1..4&ms=100}, four keys in turn, each asked once by hand before the load so a's cache holds
 * them) and half the misses ({@code /slow?ms=100}, never cacheable). b and c are idle peers. Rows, alternated per
 * load: a with {@code pageCacheKb=1024}, and the same with {@code pageCacheKb=0} (the shipped default: every hit page
 * rendered, and movable, like a miss). Printed per row, hits and misses apart: pages, p50/p99 latency from each page's
 * due time, pages moved (a 307 from a, followed to the peer), failures; and a's {@code PageCacheHits}.
 * Usage: {@code benchmarks/cache-bench.sh [--smoke] [--loads 130,260] [--seconds 60] [--workers 10] [--warmup 5]
 * [--rounds 1] [--out DIR]}.
 */
public final class CacheBench {
    static final List<String> IDS = List.of("a", "b", "c");
    static final String HOT = "a";
    static final int PAGE_MS = 100;
    static final List<String> HIT_PAGES = IntStream.rangeClosed(1, 4)
            .mapToObj(i -> "/cached?key=hot-" + i + "&ms=" + PAGE_MS).toList();
    static final String MISS_PAGE = "/slow?ms=" + PAGE_MS;
    static final int CACHE_KB = 1024;

    record Options(List<Integer> loads, int seconds, int workers, int warmupSeconds, int rounds, Path out,
                   boolean smoke) {
        static Options parse(String... args) {
            List<Integer> loads = List.of(130, 260);
            int seconds = 60;
            int workers = 10;
            int warmup = 5;
            int rounds = 1;
            Path out = Path.of("benchmarks", "results", "cache");
            Arguments cl = Arguments.parse(args, Set.of("--smoke"));
            boolean smoke = cl.has("--smoke");
            for (Arguments.Option opt : cl.options()) {
                String a = opt.key();
                String v = opt.value();
                switch (a) {
                    case "--loads" -> loads = parseLoads(v);
                    case "--seconds" -> seconds = Usage.whole(a, v, 5, 3600);
                    case "--workers" -> workers = Usage.whole(a, v, 2, 200);
                    case "--warmup" -> warmup = Usage.whole(a, v, 0, 600);
                    case "--rounds" -> rounds = Usage.whole(a, v, 1, 20);
                    case "--out" -> out = Path.of(v);
                    default -> throw new Usage("unknown option " + a);
                }
            }
            if (smoke) {
                return new Options(List.of(loads.get(0)), 10, workers, 1, 1, out, true);
            }
            return new Options(loads, seconds, workers, warmup, rounds, out, false);
        }

        private static List<Integer> parseLoads(String v) {
            List<Integer> l = new ArrayList<>();
            for (String p : v.split(",")) {
                l.add(Usage.whole("--loads", p.trim(), 10, 1000));
            }
            return List.copyOf(l);
        }
    }

    /**
     * One row's figures. {@code warmCached}: how many hit pages a answered from its cache (an {@code Age} header)
     * when asked the second time before the load; {@code counted}: a's filter counters over the load (null: unread).
     */
    record Row(int loadPercent, boolean cache, int round, KindFigures hits, KindFigures misses, int warmCached,
               FilterCounters counted, String loadAverage) {
        String name() {
            return loadPercent + "% " + (cache ? "pageCacheKb=" + CACHE_KB : "pageCacheKb=0") + " r" + round;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Usage u) {
            System.err.println(u.getMessage() == null ? "usage: benchmarks/cache-bench.sh [--smoke] [--loads 130,260]"
                    + " [--seconds S] [--workers N] [--warmup S] [--rounds N] [--out DIR]" : u.getMessage());
            System.exit(u.getMessage() == null ? 0 : 2);
            return;
        }
        Home home = Home.locate();
        Files.createDirectories(o.out());
        PrintStream out = System.out;
        out.println(RunInfo.capture());
        out.println("command: " + System.getProperty("bench.command", "CacheBench " + String.join(" ", args)));
        double capacity = o.workers() * 1000.0 / PAGE_MS;
        out.printf(Locale.ROOT, "server a: %d workers x %d ms = %.0f pages/s; loads %s%% of that on a for %d s,"
                + " half hits %s, half misses %s; b, c idle peers%n", o.workers(), PAGE_MS, capacity, o.loads(),
                o.seconds(), HIT_PAGES, MISS_PAGE);
        List<Row> rows = new ArrayList<>();
        for (int round = 1; round <= o.rounds(); round++) {
            for (int load : o.loads()) {
                // alternate which row goes first, so a drift of the machine's load does not favour one
                boolean cacheFirst = round % 2 == 1;
                rows.add(run(o, home, load, cacheFirst, round, out));
                rows.add(run(o, home, load, !cacheFirst, round, out));
            }
        }
        print(out, rows);
    }

    private static Row run(Options o, Home home, int loadPercent, boolean cache, int round, PrintStream out)
            throws Exception {
        String name = "l" + loadPercent + "-" + (cache ? "cache" : "nocache") + "-r" + round;
        double capacity = o.workers() * 1000.0 / PAGE_MS;
        Map<String, String> filterLines = Map.of(HOT, "pageCacheKb = " + (cache ? CACHE_KB : 0) + "\n");
        out.println("row " + name + ": starting " + IDS + " and the manager");
        try (BenchCluster c = BenchCluster.start(home, o.out().resolve("run"), name,
                BenchCluster.Layout.of(IDS, o.workers(), "page-cache benchmark")
                        .withManager(Path.of("conf", "manager.properties"), List.of()).withLines("", filterLines));
             SpreadLoad hits = new SpreadLoad(c.baseUrls(), HOT, HIT_PAGES);
             Load misses = new Load(c.baseUrls())) {
            out.println("  manager: " + String.join(" ", c.managerCommand()));
            if (o.warmupSeconds() > 0) {
                // JIT warm-up at 30% on every server: nothing is overloaded, nothing recorded
                misses.start(null, IDS.stream().map(id -> new Load.Stream(id, Load.Kind.PAGE, MISS_PAGE,
                        0.3 * capacity)).toList());
                Thread.sleep(o.warmupSeconds() * 1000L);
                misses.stop();
                misses.awaitIdle(35_000);
            }
            int warmCached = warm(c.baseUrls().get(HOT));
            int jmx = c.jmxPorts().get(HOT);
            FilterCounters before = FilterCounters.read(jmx);
            String loadBefore = RunInfo.loadAverage();
            double perKind = loadPercent / 100.0 * capacity / 2;
            hits.start("hit", perKind);
            misses.start("miss", List.of(new Load.Stream(HOT, Load.Kind.PAGE, MISS_PAGE, perKind)));
            Thread.sleep(o.seconds() * 1000L);
            hits.stop();
            misses.stop();
            boolean hitsIdle = hits.awaitIdle(35_000);
            boolean missesIdle = misses.awaitIdle(35_000);
            if (!hitsIdle || !missesIdle) {
                out.println("  " + (hits.outstanding() + misses.outstanding())
                        + " pages still unanswered 35 s after the load ended: left out of the figures");
            }
            FilterCounters counted = FilterCounters.between(before, FilterCounters.read(jmx));
            Row row = new Row(loadPercent, cache, round, KindFigures.of(hits.results()),
                    KindFigures.of(misses.results()), warmCached, counted,
                    loadBefore + " -> " + RunInfo.loadAverage());
            out.printf(Locale.ROOT, "  done: hits %d (moved %s), misses %d (moved %s); load average %s%n",
                    row.hits().pages(), row.hits().movedShare(), row.misses().pages(), row.misses().movedShare(),
                    row.loadAverage());
            return row;
        }
    }

    /**
     * Asks a for each hit page twice, one after the other, before the load: the first answer is rendered (and, with
     * the cache on, stored), the second one comes from the cache if it carries {@code Age}. Returns how many did.
     */
    private static int warm(String baseUrl) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        int cached = 0;
        for (String page : HIT_PAGES) {
            HttpRequest get = HttpRequest.newBuilder(URI.create(baseUrl + page)).timeout(Duration.ofSeconds(30))
                    .build();
            HttpResponse<Void> first = http.send(get, HttpResponse.BodyHandlers.discarding());
            if (first.statusCode() != 200) {
                throw new IOException("warming " + page + ": status " + first.statusCode() + " from a");
            }
            if (http.send(get, HttpResponse.BodyHandlers.discarding()).headers().firstValue("Age").isPresent()) {
                cached++;
            }
        }
        return cached;
    }

    private static void print(PrintStream out, List<Row> rows) {
        out.println();
        out.println("latency from each page's due time, from the first second of the load; moved = answered 307 by a"
                + " (followed to the peer); a's PageCacheHits and Offloaded counted over the load");
        out.println("| row | hits: pages | p50 / p99 ms | moved | failed | misses: pages | p50 / p99 ms | moved"
                + " | failed | a's PageCacheHits | a's Offloaded | hit pages cached before the load | load average |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %s | %d | %s / %s | %s | %d | %d | %s / %s | %s | %d | %s | %s | %d of %d | %s |%n",
                    r.name(), r.hits().pages(), KindFigures.millis(r.hits().p50Millis()),
                    KindFigures.millis(r.hits().p99Millis()), r.hits().movedShare(), r.hits().failed(),
                    r.misses().pages(), KindFigures.millis(r.misses().p50Millis()),
                    KindFigures.millis(r.misses().p99Millis()), r.misses().movedShare(), r.misses().failed(),
                    r.counted() == null ? "?" : String.valueOf(r.counted().pageCacheHits()),
                    r.counted() == null ? "?" : String.valueOf(r.counted().offloaded()),
                    r.warmCached(), HIT_PAGES.size(), r.loadAverage());
        }
    }

    private CacheBench() {
    }
}
