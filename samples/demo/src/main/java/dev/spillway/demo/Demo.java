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
 * and ends with a summary of both phases. A fourth server, d, starts in the manager's spare pool: a third phase
 * raises the load past what a, b and c can carry until the manager allocates d, then lowers it until d is released
 * ({@link SparePhase}). With {@code --managers 2} two managers elect a leader on a ZooKeeper server, and half-way
 * through the second phase the leader is killed ({@link Failover}). Stops everything it started on exit and on
 * Ctrl-C.
 */
public final class Demo {
    public static final String HOT = "a";

    /**
     * Command-line options. {@code durationSeconds} is the first two phases together; {@code spare}: run server d
     * and the third phase; {@code managers}: 1 or 2 (then the leader is killed half-way through phase 2).
     */
    public record Options(int durationSeconds, int warmupSeconds, int dashboardPort, String mode, Path runDir,
            boolean live, boolean spare, int managers) {
        /** The first two phases only: three servers, one manager. */
        public Options(int durationSeconds, int warmupSeconds, int dashboardPort, String mode, Path runDir,
                boolean live) {
            this(durationSeconds, warmupSeconds, dashboardPort, mode, runDir, live, false, 1);
        }

        static Options parse(String[] args) {
            int duration = 60;
            int warmup = 5;
            int port = 9090;
            String mode = "redirect";
            Path dir = null;
            boolean spare = true;
            int managers = 1;
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
                    case "--no-spare" -> {
                        spare = false;
                        continue;
                    }
                    case "--managers" -> managers = number(key, v, 1, 2);
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
            return new Options(duration, warmup, port, mode, dir, System.console() != null, spare, managers);
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

    /**
     * What the demo measured; {@code pool} and {@code failover} are null when not run. {@code unanswered}: requests
     * still without an answer (or a failure) a minute after the load stopped.
     */
    public record Report(PhaseStats off, PhaseStats on, Path runDir, PoolReport pool, Failover.Report failover,
            int unanswered) {
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
                    + " [--dashboard-port N] [--mode redirect|proxy] [--run-dir DIR] [--managers 1|2] [--no-spare]\n"
                    + "  --duration      seconds of load of phases 1 and 2 together (default 60; --quick: 20);"
                    + " phase 3 (the spare) adds about as much again\n"
                    + "  --managers      2: two managers elect a leader on a ZooKeeper server the demo starts; the"
                    + " leader is killed half-way through phase 2\n"
                    + "  --no-spare      no server d and no phase 3\n"
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
        out.println("Spillway demo: 3 web servers (a, b, c) with the sample shop" + (o.spare() ? ", a spare d" : "")
                + (o.managers() > 1 ? ", " + o.managers() + " managers and a ZooKeeper server" : ", and the manager")
                + "; configuration and logs in " + dir);
        long startedAt = System.currentTimeMillis();
        try (Cluster cluster = Cluster.start(home, new Cluster.Settings(dir, o.dashboardPort(), THREADS, flags,
                o.spare(), o.managers()))) {
            Map<String, String> bases = new LinkedHashMap<>();
            Map<String, FilterProbe> probes = new LinkedHashMap<>();
            for (Cluster.Server s : cluster.servers()) {
                bases.put(s.id(), s.baseUrl());
                probes.put(s.id(), cluster.probe(s.id()));
                out.printf("  server %s  %s/  (agent %s)%s%n", s.id(), s.baseUrl(), s.agentJmxUrl(),
                        Cluster.SPARE.equals(s.id()) ? "  in the manager's spare pool: sent no load" : "");
            }
            out.printf("  JMX users (JConsole: \"%s\", readonly): %s%n", JmxUsers.READER,
                    cluster.jmxUsers().passwordFile());
            cluster.startManager(true);
            out.println();
            out.println("  Dashboard: " + String.join(" and ", cluster.dashboardUrls())
                    + "   (open it now; it refreshes every second)");
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
                int phases = o.spare() ? 3 : 2;
                out.printf("%nPhase 1 of %d, %d s: offloading OFF (the manager watches but never tells anyone to"
                        + " move)%n", phases, phase);
                List<Double> offDelays = drive(load, "off", phase, phase, streams(), probes, null, o.live(), out);
                settle(load, probes, out);
                out.println("\nRestarting the manager" + (o.managers() > 1 ? "s" : "")
                        + " with conf/demo/manager.properties: offloading on.");
                cluster.stopManager();
                cluster.startManager(false);
                out.printf("%nPhase 2 of %d, %d s: offloading ON (same load)%s%n", phases, phase,
                        o.managers() > 1 ? "; the leading manager is killed (SIGKILL) half-way" : "");
                Failover[] failover = new Failover[1];
                Tick killHalfWay = o.managers() < 2 ? null : sec -> {
                    if (sec == phase / 2 && failover[0] == null) {
                        failover[0] = Failover.killLeader(cluster, probes.get(HOT));
                        out.println("  -- killed the leading manager " + (failover[0] == null ? "(none led!)"
                                : failover[0].report().oldLeader()) + " --");
                        return true;
                    }
                    return false;
                };
                List<Double> onDelays = drive(load, "on", phase, phase, streams(), probes, killHalfWay, o.live(), out);
                PoolReport pool = null;
                if (o.spare()) {
                    settle(load, probes, out);
                    pool = SparePhase.run(load, cluster, probes, Math.max(12, 2 * phase / 3), Math.max(12, phase / 2),
                            o.live(), out);
                }
                load.awaitIdle(60_000);
                int unanswered = load.outstanding();
                Failover.Report takeover = null;
                if (failover[0] != null) {
                    failover[0].close();
                    takeover = failover[0].report();
                }
                List<Load.Result> all = load.results();
                Report r = new Report(PhaseStats.of("off", HOT, all, offDelays), PhaseStats.of("on", HOT, all, onDelays),
                        dir, pool, takeover, unanswered);
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

    /** Something done once a second during a phase, after that second's lines are printed. */
    interface Tick {
        /** @return whether it printed a line (then a live display starts its next block below it) */
        boolean second(int sec) throws InterruptedException;
    }

    /**
     * Runs one phase of {@code streams}, printing a line per server each second, for {@code seconds}; then on, up to
     * {@code maxSeconds}, while {@code done} is false (null: never). Returns the hot server's queue delay per second.
     * The spare's line counts the requests it served (all moved to it: it is sent none) and says whether it is in
     * the pool.
     */
    static List<Double> drive(Load load, String phase, int seconds, int maxSeconds, List<Load.Stream> streams,
            Map<String, FilterProbe> probes, Tick tick, boolean live, PrintStream out, Cluster cluster,
            java.util.function.BooleanSupplier done) throws InterruptedException {
        List<Double> hotDelays = new ArrayList<>();
        Map<String, Long> sentBefore = new LinkedHashMap<>();
        probes.keySet().forEach(id -> sentBefore.put(id, load.sentTo(id)));
        int seen = load.resultCount();
        load.start(phase, streams);
        long t0 = System.nanoTime();
        boolean drawn = false;
        for (int sec = 1; sec <= maxSeconds && (sec <= seconds || done == null || !done.getAsBoolean()); sec++) {
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
                boolean spare = Cluster.SPARE.equals(id);
                long sent = load.sentTo(id);
                List<Load.Result> mine = fresh.stream()
                        .filter(r -> spare ? id.equals(r.servedBy()) : id.equals(r.hit())).toList();
                long rate = spare ? mine.size() : sent - sentBefore.get(id);
                sentBefore.put(id, sent);
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
                        errors, f == null ? "(agent not answering)" : f.directive()
                                + (spare && cluster != null ? "  " + spareState(cluster) : "")));
            }
            out.print(block);
            out.flush();
            drawn = true;
            if (tick != null && tick.second(sec)) {
                drawn = false;
            }
        }
        load.stop();
        return hotDelays;
    }

    /** Runs one phase of {@code seconds}, printing a line per server each second (see the longer form). */
    static List<Double> drive(Load load, String phase, int seconds, int maxSeconds, List<Load.Stream> streams,
            Map<String, FilterProbe> probes, Tick tick, boolean live, PrintStream out) throws InterruptedException {
        return drive(load, phase, seconds, maxSeconds, streams, probes, tick, live, out, null, null);
    }

    /** "in the pool" or "a member", as the manager shows the spare (state spare, or any other). */
    private static String spareState(Cluster cluster) {
        String state = cluster.hostState(Cluster.SPARE);
        return state == null ? "(manager not answering)" : "spare".equals(state) ? "[in the pool]" : "[a member]";
    }

    /** Between phases: lets the hot server work off its queue, so phase 2 starts where phase 1 did. */
    private static void settle(Load load, Map<String, FilterProbe> probes, PrintStream out) throws InterruptedException {
        out.printf("Waiting for the %d requests still under way...%n", load.outstanding());
        load.awaitIdle(120_000);
        Thread.sleep(1_000);
    }

    static void printSummary(Report r, PrintStream out, long seconds) {
        printPhasesOneAndTwo(r, out);
        if (r.failover() != null) {
            printFailover(r.failover(), r.on(), out);
        }
        if (r.pool() != null) {
            SparePhase.printSummary(r.pool(), out);
        }
        out.printf("Done in %d s. Logs and the configuration used: %s%n", seconds, r.runDir());
    }

    private static void printFailover(Failover.Report f, PhaseStats on, PrintStream out) {
        out.println();
        out.println("Manager failover (phase 2, the leader killed with SIGKILL half-way):");
        out.printf(Locale.ROOT, "  leader before the kill: %s (epoch %d)%n", f.oldLeader(), f.oldEpoch());
        if (!f.tookOver()) {
            out.println("  no follower took over while the demo watched");
        } else {
            out.printf(Locale.ROOT, "  the follower %s led %.1f s after the kill (epoch %d, from its /api/leader)%n",
                    f.newLeader(), f.takeoverSeconds(), f.newEpoch());
        }
        out.printf(Locale.ROOT, "  a's first permit from the new leader: %s after the kill; %s%n",
                seconds(f.firstNewPermitSeconds()), f.withoutPermitSeconds() == 0
                        ? "no gap in permits (the old leader's lease covered it)"
                        : "a held no permit for " + seconds(f.withoutPermitSeconds()) + " (it served all locally)");
        out.printf(Locale.ROOT, "  requests failed in phase 2: %d of %d%n", on.errors(), on.requests());
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "(not seen)" : String.format(Locale.ROOT, "%.1f s", s);
    }

    private static void printPhasesOneAndTwo(Report r, PrintStream out) {
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
