package dev.spillway.bench.manager;

import dev.spillway.settings.ConfigValues;
import dev.spillway.manager.ControlLoop;
import dev.spillway.manager.DecisionLog;
import dev.spillway.manager.History;
import dev.spillway.manager.HostView;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.manager.poll.AgentConnector;
import dev.spillway.manager.poll.AgentPoller;
import dev.spillway.manager.poll.HostTable;
import dev.spillway.manager.policy.HostState;
import dev.spillway.manager.policy.SendReason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The manager's poll-and-decide cycle against 10, 100, 500 and 1000 simulated agents over real JMX connectors
 * (in a separate JVM, so this process's CPU is the manager's alone). Runs the real {@link ControlLoop} once per
 * second, as in production, and prints cycle time and the manager's CPU use in cores, and below each row the sends
 * per cycle by why they went out (renewal, other targets, a budget cut, ...: {@link SendReason}).
 *
 * <pre>
 *   mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 *   java [-Dthreads=N] [-Dload=uniform|poisson] -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.manager.ManagerCycleBench [sizes...]
 * </pre>
 * Goal at 1000 hosts and a 1 s interval: at most 200 ms per cycle and below one core.
 */
public final class ManagerCycleBench {
    private static final int WARMUP = 5;
    private static final int MEASURED = 20;
    private static final String ROW = "%-6s %-7s %-7s %-7s %-13s %-12s %-8s %-10s %-11s %-26s %-12s %s%n";

    public static void main(String[] args) throws Exception {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        int[] sizes = args.length == 0 ? new int[] {10, 100, 500, 1000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(ROW, "hosts", "p50 ms", "p95 ms",
                "max ms", "manager cores", "agents cores", "load avg", "overloaded", "polled ok",
                "poll/decide/push/publ ms", "pushes/cycle", "answer p50/p99/max ms");
        int port = 21000;
        for (int n : sizes) {
            Path list = Files.createTempFile("farm", ".txt");
            Process farm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx768m", "-Xss256k", "-Dload=" + System.getProperty("load", "uniform"), "-cp", System.getProperty("java.class.path"), AgentFarm.class.getName(),
                    String.valueOf(n), list.toString(), String.valueOf(port)).redirectErrorStream(true).start();
            port += n + 50;
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(farm.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = r.readLine()) != null && !line.startsWith("READY")) {
                    System.err.println("[farm] " + line);
                }
                if (line == null) {
                    throw new IllegalStateException("agent farm exited: " + farm.waitFor());
                }
                run(n, list, os, farm.toHandle());
            } finally {
                farm.destroyForcibly();
                farm.waitFor(10, TimeUnit.SECONDS);
                Files.deleteIfExists(list);
            }
        }
    }

    // The agents share this machine's cores with the manager; their CPU shows how much of the cycle is theirs.
    private static long farmCpuNanos(ProcessHandle farm) {
        return farm.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static void run(int n, Path list, com.sun.management.OperatingSystemMXBean os, ProcessHandle farm)
            throws Exception {
        Map<String, String> cfg = new HashMap<>();
        StringBuilder ids = new StringBuilder();
        for (String line : Files.readAllLines(list)) {
            String[] parts = line.split(" ");
            ids.append(parts[0]).append(',');
            cfg.put("host." + parts[0] + ".jmx", parts[1]);
        }
        cfg.put("hosts", ids.toString());
        cfg.put("poll.interval", "1s");
        // -Dthreads=N compares pool sizes; the default is the manager's own (16)
        if (System.getProperty("threads") != null) {
            cfg.put("poll.threads", System.getProperty("threads"));
        }
        ManagerConfig config = ManagerConfig.from(ConfigValues.of(cfg));
        HostTable table = new HostTable(config.hosts(), config.expiryMillis());
        try (AgentPoller poller = new AgentPoller(AgentConnector.plain(), config.pollThreads())) {
            ControlLoop loop = new ControlLoop(config, table, poller, new DecisionLog(config.decisionsKept()),
                    new History(config.historySamples()));
            long[] cycleMs = new long[MEASURED];
            long[][] phases = new long[4][MEASURED];   // microseconds per phase, per measured cycle
            long pushes = 0;
            long[] pushesBy = new long[SendReason.values().length];
            // each host's own answer time in a cycle (timed around the read on its poll thread, HostView.pollMillis):
            // a poll phase far longer than the slowest answer is waiting for a thread or a core, not a straggler
            double[][] answers = new double[3][MEASURED];
            long cpuStart = 0;
            long wallStart = 0;
            long farmCpuStart = 0;
            for (int i = 0; i < WARMUP + MEASURED; i++) {
                if (i == WARMUP) {
                    cpuStart = os.getProcessCpuTime();
                    farmCpuStart = farmCpuNanos(farm);
                    wallStart = System.nanoTime();
                }
                long t0 = System.nanoTime();
                loop.runCycleNow();
                long took = System.nanoTime() - t0;
                if (i >= WARMUP) {
                    cycleMs[i - WARMUP] = TimeUnit.NANOSECONDS.toMillis(took);
                    ControlLoop.Phases p = loop.lastPhases();
                    phases[0][i - WARMUP] = p.pollMicros();
                    phases[1][i - WARMUP] = p.decideMicros();
                    phases[2][i - WARMUP] = p.pushMicros();
                    phases[3][i - WARMUP] = p.publishMicros();
                    pushes += p.pushes();
                    p.pushesBy().forEach((why, count) -> pushesBy[why.ordinal()] += count);
                    double[] a = loop.views().stream().mapToDouble(HostView::pollMillis).filter(x -> !Double.isNaN(x))
                            .sorted().toArray();
                    if (a.length > 0) {
                        answers[0][i - WARMUP] = a[a.length / 2];
                        answers[1][i - WARMUP] = a[Math.min(a.length - 1, (int) Math.ceil(a.length * 0.99) - 1)];
                        answers[2][i - WARMUP] = a[a.length - 1];
                    }
                }
                long sleep = TimeUnit.SECONDS.toNanos(1) - took;
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            long wall = System.nanoTime() - wallStart;
            double cores = (double) (os.getProcessCpuTime() - cpuStart) / wall;
            double farmCores = (double) (farmCpuNanos(farm) - farmCpuStart) / wall;
            Arrays.sort(cycleMs);
            List<HostView> views = loop.views();
            long ok = views.stream().filter(v -> v.lastError() == null).count();
            long hot = views.stream().filter(v -> v.state() == HostState.OVERLOADED).count();
            StringBuilder split = new StringBuilder();
            for (long[] phase : phases) {
                Arrays.sort(phase);
                split.append(split.length() == 0 ? "" : "/").append(phase[MEASURED / 2] / 1000);
            }
            StringBuilder answered = new StringBuilder();
            for (double[] a : answers) { // the median over the measured cycles of each cycle's p50, p99, max
                Arrays.sort(a);
                answered.append(answered.length() == 0 ? "" : "/").append(String.format("%.1f", a[MEASURED / 2]));
            }
            System.out.printf(ROW, n, cycleMs[MEASURED / 2], cycleMs[(int) Math.ceil(MEASURED * 0.95) - 1],
                    cycleMs[MEASURED - 1], String.format("%.3f", cores), String.format("%.3f", farmCores),
                    String.format("%.1f", os.getSystemLoadAverage()), hot, ok + "/" + n, split,
                    String.format("%.0f", (double) pushes / MEASURED), answered);
            StringBuilder by = new StringBuilder("  sends per cycle by reason:");
            for (SendReason why : SendReason.values()) {
                by.append(' ').append(why.name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                        .append(String.format("%.1f", (double) pushesBy[why.ordinal()] / MEASURED));
            }
            System.out.println(by);
        }
    }
}
