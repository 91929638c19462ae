package dev.spillway.bench.manager;

import dev.spillway.demo.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shards on one machine: S manager processes (one per {@code cluster.id}, each alone in its shard, so no ZooKeeper),
 * each polling its own H simulated agents ({@link AgentFarm}, one child JVM per shard, every agent on its own RMI
 * connector) every second at the shipped defaults. Each manager is the real one ({@code dev.spillway.manager.Main}
 * with a generated configuration); its cycle times are read from its own {@code /metrics}
 * ({@code spillway_manager_cycles}, {@code spillway_manager_last_cycle_seconds}) every 200 ms. Prints per shard the
 * cycle p50/p99/max, the cycles run per second, the hosts reached, the manager's CPU (cores), threads, heap after a
 * full GC and resident memory, and the agents' CPU beside it.
 *
 * <pre>
 *   mvn -B -ntp -q -pl benchmarks -am clean package -DskipTests
 *   java -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.manager.ShardsBench \
 *        [--shards 5] [--hosts 1000] [--warmup 45] [--seconds 120] [--manager-heap 512m] [--run-dir DIR]
 * </pre>
 * The agents share the machine's cores with the managers here (on a real farm they run on their own hosts), so the
 * cycle times are an upper bound; the managers' CPU is their own.
 */
public final class ShardsBench {
    private static final Pattern CYCLES = Pattern.compile("(?m)^spillway_manager_cycles(?:_total)? ([0-9.eE+]+)$");
    private static final Pattern LAST = Pattern.compile("(?m)^spillway_manager_last_cycle_seconds ([0-9.eE+-]+)$");
    private static final Pattern HOSTS = Pattern.compile(
            "(?m)^spillway_manager_hosts\\{state=\"(ok|overloaded|draining|spare)\"} ([0-9.eE+]+)$");

    private ShardsBench() {
    }

    /** One shard: its agents' JVM, its manager's JVM, and what was read from the manager. */
    private static final class Shard {
        final int index;
        Process farm;
        Process manager;
        int httpPort;
        final List<Double> cycleMillis = new ArrayList<>();
        double lastCycles = -1;
        double firstCycles = -1;
        long skipped;
        int reached;
        long managerCpuStart;
        long farmCpuStart;
        double managerCores;
        double farmCores;
        long heapAfterGcKb = -1;
        long rssKb = -1;
        long threads = -1;

        Shard(int index) {
            this.index = index;
        }
    }

    public static void main(String[] args) throws Exception {
        int shards = intArg(args, "--shards", 5);
        int hosts = intArg(args, "--hosts", 1000);
        int warmup = intArg(args, "--warmup", 45);
        int seconds = intArg(args, "--seconds", 120);
        String heap = stringArg(args, "--manager-heap", "512m");
        Path runDir = Path.of(stringArg(args, "--run-dir",
                Files.createTempDirectory("spillway-shards-").toString()));
        Files.createDirectories(runDir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        List<Shard> all = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> all.forEach(ShardsBench::stop)));
        System.out.printf("%d shards x %d simulated hosts, poll interval 1 s (defaults), warm-up %d s, measured %d s;"
                + " logs in %s%n", shards, hosts, warmup, seconds, runDir);

        int port = 21000;
        for (int k = 0; k < shards; k++) {
            Shard s = new Shard(k);
            all.add(s);
            Path list = runDir.resolve("shard-" + k + "-agents.txt");
            s.farm = new ProcessBuilder(java, "-Xmx768m", "-Xss256k", "-cp", classPath, AgentFarm.class.getName(),
                    String.valueOf(hosts), list.toString(), String.valueOf(port), "s" + k + "-h")
                    .redirectErrorStream(true).start();
            port += hosts + 50;
            awaitReady(s.farm, "farm " + k);
            s.httpPort = FreePorts.pick();
            Path config = runDir.resolve("shard-" + k + ".properties");
            Files.write(config, managerConfig(k, s.httpPort, FreePorts.pick(), Files.readAllLines(list)));
            s.manager = new ProcessBuilder(java, "-Xmx" + heap, "-cp", classPath, "dev.spillway.manager.Main",
                    "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(runDir.resolve("shard-" + k + "-manager.log").toFile())
                    .start();
            System.out.printf("shard %d: %d agents up, manager pid %d on http port %d%n", k, hosts, s.manager.pid(),
                    s.httpPort);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (Shard s : all) {
            awaitMetrics(http, s);
        }
        System.out.printf("all managers answer; warming up %d s%n", warmup);
        TimeUnit.SECONDS.sleep(warmup);

        String loadBefore = loadAverage();
        for (Shard s : all) {
            s.managerCpuStart = cpuNanos(s.manager);
            s.farmCpuStart = cpuNanos(s.farm);
        }
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            for (Shard s : all) {
                scrape(http, s);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        String loadAfter = loadAverage();
        for (Shard s : all) {
            s.managerCores = (cpuNanos(s.manager) - s.managerCpuStart) / 1e9 / wall;
            s.farmCores = (cpuNanos(s.farm) - s.farmCpuStart) / 1e9 / wall;
            s.threads = procStatus(s.manager.pid(), "Threads");
            s.rssKb = procStatus(s.manager.pid(), "VmRSS");
            s.heapAfterGcKb = heapAfterGc(s.manager.pid());
        }
        print(all, hosts, wall, loadBefore, loadAfter);
        all.forEach(ShardsBench::stop);
        System.exit(0);
    }

    private static List<String> managerConfig(int k, int httpPort, int jmxPort, List<String> agents) {
        List<String> lines = new ArrayList<>();
        lines.add("# shard " + k + ", written by ShardsBench: the shipped defaults but for ports and hosts");
        lines.add("cluster.id = shard-" + k);
        lines.add("http.port = " + httpPort);
        lines.add("jmx.port = " + jmxPort);
        StringBuilder ids = new StringBuilder();
        for (String line : agents) {
            String[] parts = line.split(" ");
            ids.append(ids.length() == 0 ? "" : ",").append(parts[0]);
            lines.add("host." + parts[0] + ".jmx = " + parts[1]);
        }
        lines.add("hosts = " + ids);
        return lines;
    }

    private static void scrape(HttpClient http, Shard s) {
        String text;
        try {
            text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Matcher c = CYCLES.matcher(text);
        Matcher l = LAST.matcher(text);
        if (!c.find() || !l.find()) {
            return;
        }
        double cycles = Double.parseDouble(c.group(1));
        if (s.firstCycles < 0) {
            s.firstCycles = cycles;
        } else if (cycles == s.lastCycles + 1) {
            s.cycleMillis.add(Double.parseDouble(l.group(1)) * 1000);
        } else if (cycles > s.lastCycles + 1) {
            s.skipped += (long) (cycles - s.lastCycles - 1); // more than one cycle between two reads: not counted
            s.cycleMillis.add(Double.parseDouble(l.group(1)) * 1000);
        }
        s.lastCycles = cycles;
        int reached = 0;
        Matcher h = HOSTS.matcher(text);
        while (h.find()) {
            reached += (int) Double.parseDouble(h.group(2));
        }
        s.reached = reached;
    }

    private static void print(List<Shard> all, int hosts, double wall, String loadBefore, String loadAfter) {
        System.out.printf("%nmeasured %.0f s, load average %s -> %s (1, 5, 15 min), %d cores%n", wall, loadBefore,
                loadAfter, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-6s %-7s %-7s %-7s %-7s %-8s %-9s %-10s %-8s %-14s %-8s %s%n", "shard", "cycles",
                "p50 ms", "p99 ms", "max ms", "cycles/s", "reached", "mgr cores", "threads", "heap after GC", "RSS",
                "agents' cores");
        double managers = 0;
        double farms = 0;
        List<Double> every = new ArrayList<>();
        for (Shard s : all) {
            double[] sorted = s.cycleMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            every.addAll(s.cycleMillis);
            double rate = (s.lastCycles - s.firstCycles) / wall;
            System.out.printf("%-6d %-7d %-7.0f %-7.0f %-7.0f %-8.2f %-9s %-10.3f %-8d %-14s %-8s %.3f%n", s.index,
                    sorted.length, pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 1.0), rate,
                    s.reached + "/" + hosts, s.managerCores, s.threads, s.heapAfterGcKb / 1024 + " MB",
                    s.rssKb / 1024 + " MB", s.farmCores);
            managers += s.managerCores;
            farms += s.farmCores;
        }
        double[] pooled = every.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("all    %-7d %-7.0f %-7.0f %-7.0f%n", pooled.length, pct(pooled, 0.50), pct(pooled, 0.99),
                pct(pooled, 1.0));
        System.out.printf("managers together: %.3f cores for %d hosts (%.0f hosts per core at a 1 s interval);"
                + " agents together: %.3f cores%n", managers, hosts * all.size(), hosts * all.size() / managers,
                farms);
    }

    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static void awaitReady(Process p, String what) throws IOException, InterruptedException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        java.util.ArrayDeque<String> last = new java.util.ArrayDeque<>();
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("READY")) {
            last.addLast(line); // a line per connector: shown only if the farm fails
            if (last.size() > 20) {
                last.removeFirst();
            }
        }
        if (line == null) {
            last.forEach(l -> System.err.println("[" + what + "] " + l));
            throw new IllegalStateException(what + " exited: " + p.waitFor());
        }
        Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException ignored) {
                // gone
            }
        }, "drain " + what);
        drain.setDaemon(true);
        drain.start();
    }

    private static void awaitMetrics(HttpClient http, Shard s) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(giveUp)) {
            if (!s.manager.isAlive()) {
                throw new IllegalStateException("manager of shard " + s.index + " exited: " + s.manager.exitValue()
                        + " (see its log)");
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort
                        + "/metrics")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException("manager of shard " + s.index + " never answered on /metrics");
    }


    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** A field of /proc/PID/status in its unit (kB for memory), -1 if unreadable. */
    private static long procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not on Linux, or gone
        }
        return -1;
    }

    /** Runs a full GC in the process ({@code jcmd}) and reads the heap in use after it, kB; -1 if jcmd fails. */
    private static long heapAfterGc(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            run(jcmd, String.valueOf(pid), "GC.run");
            Matcher m = Pattern.compile("used (\\d+)K").matcher(run(jcmd, String.valueOf(pid), "GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static void stop(Shard s) {
        for (Process p : Arrays.asList(s.manager, s.farm)) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    private static int intArg(String[] args, String name, int dflt) {
        String v = stringArg(args, name, null);
        return v == null ? dflt : Integer.parseInt(v);
    }

    private static String stringArg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
