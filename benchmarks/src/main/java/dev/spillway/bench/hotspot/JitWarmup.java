package dev.spillway.bench.hotspot;

import dev.spillway.bench.cluster.BenchCluster;
import dev.spillway.bench.report.RunInfo;
import dev.spillway.bench.report.Usage;
import dev.spillway.demo.Home;
import dev.spillway.demo.Load;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long shape 4's servers take to warm up under their CPU quota: three fresh servers, each alone in its own CPU
 * group (no manager, nothing moved), each sent a light open-loop load (by default 41 req/s, 30% of the 137 req/s
 * session 4 measured), and per second and server the pages' p99, the group's CPU per page and its throttled periods.
 * The JIT spends the group's quota while it compiles, so early seconds cost more CPU per page and stall pages when the
 * group is throttled; once both are flat the server is warm. Then, with {@code --saturate S}, server a is saturated by
 * closed-loop clients for S seconds and its warm capacity printed (pages per second, per 5 s).
 *
 * <p>Usage: {@code java -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.hotspot.JitWarmup
 * [--seconds 60] [--rate 41] [--saturate 15] [--cpu-quota 0.25] [--cpu-cost 2000] [--out DIR]}
 */
public final class JitWarmup {
    private JitWarmup() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 60;
        double rate = 41;
        int saturate = 15;
        double quota = 0.25;
        int cost = 2000;
        Path out = Path.of("benchmarks", "results", "jit-warmup");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String k = args[i];
            String v = args[i + 1];
            switch (k) {
                case "--seconds" -> seconds = Usage.whole(k, v, 5, 600);
                case "--rate" -> rate = Usage.number(k, v, 1, 10_000);
                case "--saturate" -> saturate = Usage.whole(k, v, 0, 600);
                case "--cpu-quota" -> quota = Usage.number(k, v, 0.05, 64);
                case "--cpu-cost" -> cost = Usage.whole(k, v, 1, 1_000_000);
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + k
                        + "; expected --seconds, --rate, --saturate, --cpu-quota, --cpu-cost, --out");
            }
        }
        String why = CpuCgroups.unavailable();
        if (why != null) {
            System.err.println("jit-warmup: " + why);
            System.exit(2);
        }
        run(seconds, rate, saturate, quota, "/work?cost=" + cost, out, System.out);
        System.exit(0);
    }

    static void run(int seconds, double rate, int saturate, double quota, String page, Path out, PrintStream print)
            throws Exception {
        Files.createDirectories(out);
        RunInfo.capture().lines().forEach(print::println);
        print.printf(Locale.ROOT, "# %s at %.0f req/s per server, each alone in a %.2f-CPU group; load average %s%n",
                page, rate, quota, RunInfo.loadAverage());
        Path cpuFile = out.resolve("jit-cpu-stat.csv");
        Path perSecondFile = out.resolve("jit-per-second.csv");
        try (CpuCgroups groups = new CpuCgroups();
             BenchCluster c = HotspotBench.cluster(Home.locate(), out.resolve("run"), "jit", Shape.CPU.workers, null,
                     HotspotBench.shippedManagerConf(), (id, pid) -> groups.confine(id, quota, pid),
                     FilterVariant.DEFAULTS)) {
            List<Load.Result> results;
            try (Load load = new Load(c.baseUrls())) {
                List<Load.Stream> streams = new ArrayList<>();
                for (String id : HotspotBench.IDS) {
                    streams.add(new Load.Stream(id, Load.Kind.PAGE, page, rate));
                }
                long t0 = System.nanoTime();
                CpuStatTrace trace = new CpuStatTrace(HotspotBench.IDS, cpuFile, t0);
                load.start("warm", streams);
                Thread.sleep(seconds * 1000L);
                load.stop();
                trace.close();
                load.awaitIdle(60_000);
                results = load.results();
                PerSecond.write(results, t0, perSecondFile);
            }
            printSeconds(perSecondFile, cpuFile, print);
            if (saturate > 0) {
                capacity(c.server("a").baseUrl() + page, saturate, print);
            }
        }
        print.printf("# load average at the end: %s; files: %s, %s%n", RunInfo.loadAverage(), perSecondFile, cpuFile);
    }

    /** Per second: each server's pages, p99, CPU ms per page and throttled periods of that second. */
    private static void printSeconds(Path perSecond, Path cpuStat, PrintStream print) throws IOException {
        Map<String, String[]> pages = new TreeMap<>();
        List<String> perSecondLines = Files.readAllLines(perSecond);
        for (String line : perSecondLines.subList(1, perSecondLines.size())) {
            String[] f = line.split(",");
            pages.put(f[0] + "," + f[1], f); // second zero-padded: sorts in time order
        }
        // cpu.stat reads every 100 ms: the last read within each second, per server
        Map<String, double[]> lastOfSecond = new TreeMap<>();
        List<String> cpuLines = Files.readAllLines(cpuStat);
        for (String line : cpuLines.subList(1, cpuLines.size())) {
            String[] f = line.split(",");
            long ms = Long.parseLong(f[0]);
            lastOfSecond.put(ms / 1000 + "," + f[1], new double[] {Double.parseDouble(f[3]),
                Double.parseDouble(f[5])});
        }
        print.println("second  server  pages  p99_ms  cpu_ms_per_page  throttled_periods");
        for (Map.Entry<String, String[]> e : pages.entrySet()) {
            String[] key = e.getKey().split(",");
            int s = Integer.parseInt(key[0]);
            double[] now = lastOfSecond.get(s + "," + key[1]);
            double[] before = lastOfSecond.get((s - 1) + "," + key[1]);
            int n = Integer.parseInt(e.getValue()[2]);
            String cpu = now == null || before == null || n == 0 ? "-"
                    : String.format(Locale.ROOT, "%.2f", (now[1] - before[1]) / n);
            String thr = now == null || before == null ? "-" : String.valueOf((long) (now[0] - before[0]));
            print.printf(Locale.ROOT, "%6d  %6s  %5d  %6s  %15s  %17s%n", s, key[1], n, e.getValue()[5], cpu, thr);
        }
    }

    /** Saturates one server with closed-loop clients and prints the pages it served per 5 s, as req/s. */
    private static void capacity(String url, int seconds, PrintStream print) throws InterruptedException {
        ClosedLoopClients clients = new ClosedLoopClients(url, HotspotBench.CALIBRATION_CLIENTS, false, "saturate");
        Map<Integer, Double> perFive = new LinkedHashMap<>();
        for (int s = 0; s < seconds; s += 5) {
            long before = clients.served();
            long t = System.nanoTime();
            Thread.sleep(5_000);
            perFive.put(s, (clients.served() - before) / ((System.nanoTime() - t) / 1e9));
        }
        clients.stop();
        perFive.forEach((s, r) -> print.printf(Locale.ROOT, "saturated a, seconds %d-%d: %.0f req/s%n", s, s + 5, r));
    }
}
