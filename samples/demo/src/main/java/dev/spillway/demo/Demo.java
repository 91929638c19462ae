package dev.spillway.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one-command demo: {@code java -jar samples/demo/target/spillway-demo.jar} (or {@code ./demo.sh}, which builds
 * first). Starts three web servers a, b, c and the manager, each in its own JVM, then runs the same skewed load
 * twice — server a gets far more than it can serve — first with offloading off (the manager only watches), then on
 * (the manager restarted with conf/demo/manager.properties as it is) — printing one line per server each second,
 * and ends with a summary of both phases. Stops everything it started on exit and on Ctrl-C.
 */
public final class Demo {
    public static final String HOT = "a";

    /** Command-line options. {@code durationSeconds} is both phases together. */
    public record Options(int durationSeconds, int warmupSeconds, int dashboardPort, String mode, Path runDir,
            boolean live) {
        static Options parse(String[] args) {
            int duration = 60;
            int warmup = 5;
            int port = 9090;
            String mode = "redirect";
            Path dir = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.length ? args[i + 1] : null;
                String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                boolean inline = a.contains("=");
                switch (key) {
                    case "--quick" -> {
                        duration = 20;
                        warmup = 3;
                        continue;
                    }
                    case "--help", "-h" -> throw new Usage(null);
                    case "--duration" -> duration = number(key, v, 10, 3600);
                    case "--dashboard-port" -> port = number(key, v, 0, 65535);
                    case "--mode" -> {
                        if (!"redirect".equals(v) && !"proxy".equals(v)) {
                            throw new Usage("--mode: '" + v + "' is neither redirect nor proxy");
                        }
                        mode = v;
                    }
                    case "--run-dir" -> dir = Path.of(v == null ? "." : v);
                    default -> throw new Usage("unknown option " + a);
                }
                if (v == null) {
                    throw new Usage(key + " needs a value");
                }
                if (!inline) {
                    i++;
                }
            }
            return new Options(duration, warmup, port, mode, dir, System.console() != null);
        }

        private static int number(String key, String v, int min, int max) {
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // below
            }
            throw new Usage(key + ": '" + v + "' is not a whole number from " + min + " to " + max);
        }
    }

    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }

    /** What the demo measured. */
    public record Report(PhaseStats off, PhaseStats on, Path runDir) {
    }

    /** Jetty worker threads per server, and how long a /slow page holds one: capacity = 8 / 50 ms = 160 pages/s. */
    static final int THREADS = 8;
    static final int SLOW_MS = 50;

    /** The skewed load: a gets over 1.1 times what its threads can serve, b and c about a sixth each. */
    static List<Load.Stream> streams() {
        List<Load.Stream> s = new ArrayList<>();
        for (String id : Cluster.IDS) {
            boolean hot = HOT.equals(id);
            s.add(new Load.Stream(id, Load.Kind.PAGE, "/slow?ms=" + SLOW_MS, hot ? 180 : 25));
            s.add(new Load.Stream(id, Load.Kind.PAGE, "/catalog/item-{n}", hot ? 12 : 4));
            s.add(new Load.Stream(id, Load.Kind.PAGE, "/search?q=item{n}", hot ? 6 : 2));
            s.add(new Load.Stream(id, Load.Kind.CART, "/cart/add", 1));
            s.add(new Load.Stream(id, Load.Kind.ADMIN, "/admin/users", 2));
        }
        return s;
    }

    private Demo() {
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Usage u) {
            PrintStream out = u.getMessage() == null ? System.out : System.err;
            if (u.getMessage() != null) {
                out.println("spillway-demo: " + u.getMessage());
            }
            out.println("usage: java -jar samples/demo/target/spillway-demo.jar [--quick] [--duration SECONDS]"
                    + " [--dashboard-port N] [--mode redirect|proxy] [--run-dir DIR]\n"
                    + "  --duration      seconds of load, both phases together (default 60; --quick: 20)\n"
                    + "  --dashboard-port the manager's dashboard (default 9090; 0 = any free port)\n"
                    + "  --mode          how the hot server moves requests: 307 redirect (default) or proxy\n"
                    + "  --run-dir       where the configuration and logs go (default: a new temporary directory)");
            System.exit(u.getMessage() == null ? 0 : 2);
            return;
        }
        // Ctrl-C: the cluster's own shutdown hook stops every process it started; this one only keeps the
        // messages of the interrupted run (connection refused, ...) off the screen.
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!stopping.getAndSet(true)) {
                System.out.println("\nspillway-demo: stopping the servers and the manager.");
            }
        }, "demo-stop-message"));
        try {
            run(o, System.out);
            stopping.set(true);
            System.exit(0);
        } catch (Exception e) {
            if (!stopping.getAndSet(true)) {
                System.err.println("spillway-demo: " + e.getMessage());
            }
            System.exit(1);
        }
    }

    /** Runs the whole demo; every process started is stopped before this returns. */
    public static Report run(Options o, PrintStream out) throws Exception {
        if (o.dashboardPort() != 0 && !portFree(o.dashboardPort())) {
            throw new IOException("port " + o.dashboardPort() + " is taken (another demo or manager running?);"
                    + " choose another with --dashboard-port N, or 0 for any free port");
        }
        Home home = Home.locate();
        Path dir = o.runDir() != null ? o.runDir() : Files.createTempDirectory("spillway-demo-");
        List<String> flags = "proxy".equals(o.mode()) ? List.of("--offload.mode=PROXY") : List.of();
        out.println("Spillway demo: 3 web servers (a, b, c) with the sample shop, and the manager; configuration"
                + " and logs in " + dir);
        long startedAt = System.currentTimeMillis();
        try (Cluster cluster = Cluster.start(home, new Cluster.Settings(dir, o.dashboardPort(), THREADS, flags))) {
            Map<String, String> bases = new LinkedHashMap<>();
            Map<String, FilterProbe> probes = new LinkedHashMap<>();
            for (Cluster.Server s : cluster.servers()) {
                bases.put(s.id(), s.baseUrl());
                probes.put(s.id(), cluster.probe(s.id()));
                out.printf("  server %s  %s/  (agent %s)%n", s.id(), s.baseUrl(), s.agentJmxUrl());
            }
            out.printf("  JMX users (JConsole: \"%s\", readonly): %s%n", JmxUsers.READER,
                    cluster.jmxUsers().passwordFile());
            cluster.startManager(true);
            out.println();
            out.println("  Dashboard: " + cluster.dashboardUrl() + "   (open it now; it refreshes every second)");
            out.println();
            int phase = Math.max(5, o.durationSeconds() / 2);
            out.printf("Load: open loop, %d requests/s; server a gets %.0f%% of them, /slow pages of %d ms against %d"
                    + " threads: more than it can serve.%n", Math.round(total(streams())),
                    100 * total(streams().stream().filter(s -> HOT.equals(s.server())).toList())
                            / total(streams()), SLOW_MS, THREADS);
            out.println("Each server also gets carts (/cart/add x3 with a session cookie) and /admin pages: never to"
                    + " be moved.");
            try (Load load = new Load(bases)) {
                if (o.warmupSeconds() > 0) {
                    out.printf("%nWarming up for %d s (light load, not counted)...%n", o.warmupSeconds());
                    load.start(null, scaled(streams(), 0.3));
                    Thread.sleep(o.warmupSeconds() * 1000L);
                    load.stop();
                    load.awaitIdle(30_000);
                }
                out.printf("%nPhase 1 of 2, %d s: offloading OFF (the manager watches but never tells anyone to"
                        + " move)%n", phase);
                List<Double> offDelays = drive(load, "off", phase, probes, o.live(), out);
                settle(load, probes, out);
                out.println("\nRestarting the manager with conf/demo/manager.properties: offloading on.");
                cluster.stopManager();
                cluster.startManager(false);
                out.printf("%nPhase 2 of 2, %d s: offloading ON (same load)%n", phase);
                List<Double> onDelays = drive(load, "on", phase, probes, o.live(), out);
                load.awaitIdle(60_000);
                List<Load.Result> all = load.results();
                Report r = new Report(PhaseStats.of("off", HOT, all, offDelays), PhaseStats.of("on", HOT, all, onDelays),
                        dir);
                printSummary(r, out, (System.currentTimeMillis() - startedAt) / 1000);
                for (FilterProbe p : probes.values()) {
                    p.close();
                }
                out.println("Stopping the servers and the manager...");
                return r;
            }
        }
    }

    private static double total(List<Load.Stream> s) {
        return s.stream().mapToDouble(x -> x.kind() == Load.Kind.CART ? 3 * x.perSecond() : x.perSecond()).sum();
    }

    static List<Load.Stream> scaled(List<Load.Stream> s, double f) {
        return s.stream().map(x -> new Load.Stream(x.server(), x.kind(), x.path(),
                x.kind() == Load.Kind.PAGE ? x.perSecond() * f : x.perSecond())).toList();
    }

    /** Runs one phase, printing a line per server each second; returns the hot server's queue delay per second. */
    static List<Double> drive(Load load, String phase, int seconds, Map<String, FilterProbe> probes, boolean live,
            PrintStream out) throws InterruptedException {
        List<Double> hotDelays = new ArrayList<>();
        Map<String, Long> sentBefore = new LinkedHashMap<>();
        probes.keySet().forEach(id -> sentBefore.put(id, load.sentTo(id)));
        int seen = load.resultCount();
        load.start(phase, streams());
        long t0 = System.nanoTime();
        boolean drawn = false;
        for (int sec = 1; sec <= seconds; sec++) {
            long wake = t0 + sec * 1_000_000_000L;
            long now;
            while ((now = System.nanoTime()) < wake) {
                Thread.sleep(Math.max(1, (wake - now) / 1_000_000));
            }
            List<Load.Result> fresh = load.resultsSince(seen);
            seen += fresh.size();
            StringBuilder block = new StringBuilder();
            if (live && drawn) {
                block.append("\033[").append(probes.size()).append('A');
            }
            for (Map.Entry<String, FilterProbe> e : probes.entrySet()) {
                String id = e.getKey();
                long sent = load.sentTo(id);
                long rate = sent - sentBefore.get(id);
                sentBefore.put(id, sent);
                List<Load.Result> mine = fresh.stream().filter(r -> id.equals(r.hit())).toList();
                long moved = mine.stream().filter(Load.Result::moved).count();
                long errors = mine.stream().filter(r -> r.error() != null).count();
                long[] lat = mine.stream().mapToLong(Load.Result::latencyNanos).sorted().toArray();
                FilterProbe.Reading f = e.getValue().read();
                if (Demo.HOT.equals(id)) {
                    hotDelays.add(f == null ? Double.NaN : f.queueDelayMillis());
                }
                if (live) {
                    block.append("\033[2K");
                }
                block.append(String.format(Locale.ROOT,
                        "[%-3s %3ds] %s  %4d req/s  queue delay %6s ms  moved %3d%%  p99 %6s ms  errors %d  %s%n",
                        phase, sec, id, rate, f == null ? "?" : PhaseStats.ms(f.queueDelayMillis()),
                        mine.isEmpty() ? 0 : Math.round(100.0 * moved / mine.size()), PhaseStats.ms(PhaseStats.pct(lat, 99)),
                        errors, f == null ? "(agent not answering)" : f.directive()));
            }
            out.print(block);
            out.flush();
            drawn = true;
        }
        load.stop();
        return hotDelays;
    }

    /** Between phases: lets the hot server work off its queue, so phase 2 starts where phase 1 did. */
    private static void settle(Load load, Map<String, FilterProbe> probes, PrintStream out) throws InterruptedException {
        out.printf("Waiting for the %d requests still under way...%n", load.outstanding());
        load.awaitIdle(120_000);
        Thread.sleep(1_000);
    }

    static void printSummary(Report r, PrintStream out, long seconds) {
        PhaseStats off = r.off();
        PhaseStats on = r.on();
        out.println();
        out.println("Summary (the same load in both phases; latency counted from when each request was due):");
        out.printf(Locale.ROOT, "  %-44s %18s %18s%n", "", "offloading OFF", "offloading ON");
        row(out, "requests", off.requests(), on.requests());
        row(out, "errors", off.errors(), on.errors());
        row(out, "p50 / p99, all requests (ms)", PhaseStats.ms(off.p50Millis()) + " / " + PhaseStats.ms(off.p99Millis()),
                PhaseStats.ms(on.p50Millis()) + " / " + PhaseStats.ms(on.p99Millis()));
        row(out, "p50 / p99, requests sent to a (ms)",
                PhaseStats.ms(off.hotP50Millis()) + " / " + PhaseStats.ms(off.hotP99Millis()),
                PhaseStats.ms(on.hotP50Millis()) + " / " + PhaseStats.ms(on.hotP99Millis()));
        row(out, "a's queue delay, second half of phase (ms)", PhaseStats.ms(off.hotQueueDelayMillis()),
                PhaseStats.ms(on.hotQueueDelayMillis()));
        row(out, "pages sent to a, served by b or c",
                String.format(Locale.ROOT, "%d (%.0f%%)", off.movedPages(), off.movedPagesPercent()),
                String.format(Locale.ROOT, "%d (%.0f%%)", on.movedPages(), on.movedPagesPercent()));
        row(out, "stateful /cart calls moved (must be 0)", off.movedStateful() + " of " + off.cartCalls(),
                on.movedStateful() + " of " + on.cartCalls());
        row(out, "carts that counted 1, 2, 3 on their server", off.cartsCompleted(), on.cartsCompleted());
        row(out, "denied /admin calls moved (must be 0)", off.movedDenied() + " of " + off.adminCalls(),
                on.movedDenied() + " of " + on.adminCalls());
        for (PhaseStats p : List.of(off, on)) {
            p.errorKinds().entrySet().stream().limit(5).forEach(e -> out.printf("  %s: %dx %s%n", p.phase(),
                    e.getValue(), e.getKey()));
        }
        out.printf("Done in %d s. Logs and the configuration used: %s%n", seconds, r.runDir());
    }

    private static void row(PrintStream out, String label, Object off, Object on) {
        out.printf(Locale.ROOT, "  %-44s %18s %18s%n", label, off, on);
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
