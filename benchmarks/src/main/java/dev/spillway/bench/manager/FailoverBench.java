package dev.spillway.bench.manager;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.demo.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMX;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Failover time with several managers on ZooKeeper (issue 16): a ZooKeeper server, two manager processes of one
 * cluster at their default settings (poll 1 s, lease 4 intervals, ZooKeeper session 2 s) and two real agents (a load
 * script: A hot, B idle), each its own process. Per trial: SIGKILL the leader, then watch A's agent over JMX (every
 * 10 ms) until it holds a permit under a larger epoch: that is the failover time. The killed manager is started
 * again (same JMX port, so the agents' manager list stays right) and warms up as a follower before the next trial.
 *
 * <pre>
 *   mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 *   java [-Dverbose=true] -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.manager.FailoverBench [trials]
 * </pre>
 */
public final class FailoverBench {
    private static final String HOT = "0s queueDelayMillis=300 queueLength=5 systemCpu=0.5 requestRate=250"
            + " maxWorkers=20 serviceTimeMillis=100 busyWorkers=20 waitingRequests=5\n";
    private static final String IDLE = "0s queueDelayMillis=10 queueLength=0 systemCpu=0.1 requestRate=20"
            + " maxWorkers=20 serviceTimeMillis=100 busyWorkers=2 waitingRequests=0\n";
    private static final Pattern BANNER = Pattern.compile("spillway-manager: dashboard (http://\\S+)/ ");
    private static final Pattern EPOCH = Pattern.compile("\"epoch\":(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final boolean VERBOSE = Boolean.getBoolean("verbose"); // -Dverbose=true: the children's output
    private static final List<Process> PROCESSES = new ArrayList<>();

    private record Manager(Process process, String http, int jmxPort) {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PROCESSES.forEach(Process::destroyForcibly)));
        Path dir = Files.createTempDirectory("spillway-failover");
        int zkPort = FreePorts.pick();
        start("zk", List.of("-Dzookeeper.admin.enableServer=false", "org.apache.zookeeper.server.ZooKeeperServerMain",
                String.valueOf(zkPort), dir.resolve("zk").toString(), "250"), null);
        await("ZooKeeper listens", () -> listening(zkPort));
        int[] jmx = {FreePorts.pick(), FreePorts.pick()};
        String managers = jmxUrl(jmx[0]) + "," + jmxUrl(jmx[1]);
        String agentA = agent(dir, "A", HOT, managers);
        agent(dir, "B", IDLE, managers);
        Manager[] m = {manager("m1", jmx[0], zkPort), manager("m2", jmx[1], zkPort)};

        List<Long> millis = new ArrayList<>();
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(agentA))) {
            AgentMXBean a = JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.agent(), AgentMXBean.class);
            System.out.printf("%-6s %-10s %-10s %-22s%n", "trial", "epochs", "failover", "leader killed");
            for (int t = 1; t <= trials; t++) {
                int[] lead = {-1};
                await("one manager leads and A holds its permit", () -> {
                    lead[0] = leaderIndex(m);
                    return lead[0] >= 0 && a.getDirectiveEpoch() == epoch(m[lead[0]])
                            && a.getHostLoad().getDirectiveMode().equals("REDIRECT");
                });
                int follower = 1 - lead[0];
                await("the follower's table is warm (both hosts)", () -> hosts(m[follower]) >= 2);
                long before = a.getDirectiveEpoch();
                Manager killed = m[lead[0]];
                killed.process().destroyForcibly(); // SIGKILL
                long t0 = System.nanoTime();
                while (a.getDirectiveEpoch() <= before) {
                    Thread.sleep(10);
                    if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(120)) {
                        throw new IllegalStateException("no permit from a new leader within 120 s");
                    }
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                millis.add(ms);
                System.out.printf("%-6d %-10s %-10s %-22s%n", t, before + "->" + a.getDirectiveEpoch(), ms + " ms",
                        killed.http());
                killed.process().waitFor(30, TimeUnit.SECONDS);
                m[lead[0]] = manager("m" + (lead[0] + 1), killed.jmxPort(), zkPort);
            }
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        long median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        System.out.printf("%ntrials %d: median %d ms, max %d ms, min %d ms; lease 4000 ms (poll.interval 1 s x"
                + " lease.intervals 4), ZooKeeper session 2000 ms; all %s%n", sorted.length, median,
                sorted[sorted.length - 1], sorted[0], Arrays.toString(sorted));
        System.out.println("uptime: " + uptime());
        PROCESSES.forEach(Process::destroyForcibly);
        System.exit(0);
    }

    private static int leaderIndex(Manager[] m) {
        int found = -1;
        for (int i = 0; i < m.length; i++) {
            if (get(m[i].http() + "/api/leader").contains("\"mode\":\"leader\"")) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    private static long epoch(Manager m) {
        Matcher x = EPOCH.matcher(get(m.http() + "/api/leader"));
        return x.find() ? Long.parseLong(x.group(1)) : -1;
    }

    private static int hosts(Manager m) {
        String body = get(m.http() + "/api/hosts");
        return body.split("\"id\":", -1).length - 1;
    }

    private static String get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static Manager manager(String name, int jmxPort, int zkPort) throws Exception {
        String[] http = new String[1];
        Process p = start(name, List.of("dev.spillway.manager.Main", "--http.port=0", "--jmx.port=" + jmxPort,
                "--zookeeper.connect=127.0.0.1:" + zkPort, "--cluster.id=bench"), line -> {
                    Matcher x = BANNER.matcher(line);
                    if (x.find()) {
                        http[0] = x.group(1);
                        return true;
                    }
                    return false;
                });
        return new Manager(p, http[0], jmxPort);
    }

    private static String agent(Path dir, String id, String script, String managers) throws Exception {
        Path file = dir.resolve(id + ".script");
        Files.writeString(file, script);
        int port = FreePorts.pick();
        start("agent-" + id, List.of("dev.spillway.scripted.ScriptedAgentMain", "--id", id, "--port",
                String.valueOf(port), "--script", file.toString(), "--manager", managers, "--web-base-url",
                "http://127.0.0.1:1/" + id), l -> l.startsWith("spillway-agent started"));
        return jmxUrl(port);
    }

    /** A child JVM on this class path; waits for a line {@code ready} accepts (none: no wait); output discarded. */
    private static Process start(String name, List<String> args, java.util.function.Predicate<String> ready)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-Djava.rmi.server.hostname=127.0.0.1", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        PROCESSES.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        if (ready != null) {
            String line;
            while ((line = out.readLine()) != null && !ready.test(line)) {
                if (VERBOSE) {
                    System.err.println("[" + name + "] " + line);
                }
            }
            if (line == null) {
                throw new IllegalStateException(name + " exited before it was ready: " + p.waitFor());
            }
        }
        Thread drain = new Thread(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    if (VERBOSE) {
                        System.err.println("[" + name + "] " + l);
                    }
                }
            } catch (IOException ignored) {
                // gone
            }
        }, "drain-" + name);
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("not within 120 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String jmxUrl(int port) {
        return "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
    }


    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String uptime() {
        try {
            return new String(new ProcessBuilder("uptime").start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "(uptime unavailable)";
        }
    }
}
