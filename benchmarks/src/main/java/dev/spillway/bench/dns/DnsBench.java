package dev.spillway.bench.dns;

import dev.spillway.settings.ConfigValues;
import dev.spillway.bench.manager.AgentFarm;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerFactory;

/**
 * Name answers per second and latency: the manager (dynamic order, answers counted as picks, the control loop
 * polling N simulated agents once a second) side by side with PowerDNS 4 (bind backend) serving the same A records
 * from a static zone file, both driven by {@code dnsperf} on this machine, alternating rounds. Prints one row per
 * round, then the ratio of the medians. p50/p99 come from {@code dnsperf -v}'s per-answer latencies.
 *
 * <pre>
 *   mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 *   java -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.dns.DnsBench [hosts] [seconds] [rounds]
 * </pre>
 * Needs {@code dnsperf} and {@code pdns_server} (Debian dnsperf, pdns-server, pdns-backend-bind).
 */
public final class DnsBench {
    static final String ZONE = "sw.bench.";
    static final String NAME = "w.sw.bench.";

    public static void main(String[] args) throws Exception {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createTempDirectory("spillway-dnsbench");
        Path list = dir.resolve("agents.txt");
        Process farm = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AgentFarm.class.getName(), String.valueOf(hosts), list.toString(), String.valueOf(freePort()))
                .redirectErrorStream(true).start();
        Process pdns = null;
        Manager manager = null;
        try {
            awaitReady(farm);
            Map<String, String> cfg = new HashMap<>();
            StringBuilder ids = new StringBuilder();
            List<String> addresses = new ArrayList<>();
            int i = 0;
            for (String line : Files.readAllLines(list)) {
                String id = line.split(" ")[0];
                ids.append(id).append(',');
                cfg.put("host." + id + ".jmx", line.split(" ")[1]);
                String address = "192.0.2." + (++i);
                cfg.put("host." + id + ".address", address);
                addresses.add(address);
            }
            int managerPort = freePort();
            cfg.put("hosts", ids.toString());
            cfg.put("http.port", "0");
            cfg.put("jmx.port", String.valueOf(freePort()));
            cfg.put("dns.listen", "127.0.0.1:" + managerPort);
            cfg.put("dns.zone", ZONE);
            cfg.put("dns.names", NAME);
            manager = Manager.start(ManagerConfig.from(ConfigValues.of(cfg)), MBeanServerFactory.newMBeanServer());
            long until = System.currentTimeMillis() + 60_000;
            while (manager.routes().order("", null).isEmpty() && System.currentTimeMillis() < until) {
                Thread.sleep(200);
            }
            int eligible = manager.routes().order("", null).size();

            int pdnsPort = freePort();
            pdns = startPdns(dir, pdnsPort, addresses);
            Path queries = dir.resolve("queries.txt");
            Files.writeString(queries, NAME + " A\n");

            System.out.printf("%d simulated agents (%d eligible, all in the answer up to dns.maxAnswers=8), %d s per"
                    + " round after a 3 s unmeasured warm-up of each, dnsperf -c 8 -T 2, load average at start %.2f%n", hosts, eligible, seconds,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("%-6s %-9s %-10s %-9s %-9s %-8s %-14s %s%n", "round", "server", "answers/s", "p50 ms",
                    "p99 ms", "lost", "cycle p50 ms", "load avg");
            System.out.printf("manager cycle p50 with no queries (5 s): %s ms%n", idleCycle(manager, 5));
            // one unmeasured round each first: both servers warm (the JIT, PowerDNS's packet cache)
            dnsperf(managerPort, queries, 3, manager);
            dnsperf(pdnsPort, queries, 3, null);
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                Result m = dnsperf(managerPort, queries, seconds, manager);
                ours.add(m.qps);
                print(r, "manager", m);
                Result p = dnsperf(pdnsPort, queries, seconds, null);
                theirs.add(p.qps);
                print(r, "pdns", p);
            }
            double ratio = median(ours) / median(theirs);
            System.out.printf("manager / PowerDNS answers per second (medians): %.2f (goal >= 0.5)%n", ratio);
        } finally {
            if (manager != null) {
                manager.close();
            }
            if (pdns != null) {
                pdns.destroy();
                pdns.waitFor(10, TimeUnit.SECONDS);
            }
            farm.destroyForcibly();
        }
    }

    record Result(double qps, double p50, double p99, long lost, String cycle, double load) {
    }

    static void print(int round, String server, Result r) {
        System.out.printf("%-6d %-9s %-10.0f %-9.3f %-9.3f %-8d %-14s %.2f%n", round, server, r.qps, r.p50, r.p99,
                r.lost, r.cycle, r.load);
    }

    static Result dnsperf(int port, Path queries, int seconds, Manager manager) throws Exception {
        Process p = new ProcessBuilder("dnsperf", "-s", "127.0.0.1", "-p", String.valueOf(port), "-d",
                queries.toString(), "-l", String.valueOf(seconds), "-c", "8", "-T", "2", "-v")
                .redirectErrorStream(true).start();
        List<Long> cycles = new ArrayList<>();
        Thread sampler = null;
        if (manager != null) {
            sampler = new Thread(() -> {
                long seen = -1;
                while (!Thread.currentThread().isInterrupted()) {
                    long c = manager.loop().cycles();
                    if (c != seen) {
                        seen = c;
                        synchronized (cycles) {
                            cycles.add(manager.loop().lastCycleMillis());
                        }
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
        }
        double qps = 0;
        long lost = 0;
        List<Double> latencies = new ArrayList<>(1 << 20);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("> ")) {
                    String[] f = line.trim().split("\\s+");
                    latencies.add(Double.parseDouble(f[f.length - 1]) * 1000);
                } else if (line.contains("Queries per second:")) {
                    qps = Double.parseDouble(line.replaceAll(".*:\\s*", ""));
                } else if (line.contains("Queries lost:")) {
                    lost = Long.parseLong(line.replaceAll(".*lost:\\s*(\\d+).*", "$1"));
                }
            }
        }
        p.waitFor();
        String cycle = "-";
        if (sampler != null) {
            sampler.interrupt();
            sampler.join();
            synchronized (cycles) {
                cycle = cycles.isEmpty() ? "-" : String.valueOf(percentile(cycles.stream().map(Long::doubleValue)
                        .toList(), 50).longValue());
            }
        }
        return new Result(qps, percentile(latencies, 50), percentile(latencies, 99), lost, cycle,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    static String idleCycle(Manager manager, int seconds) throws InterruptedException {
        List<Double> cycles = new ArrayList<>();
        long seen = -1;
        long until = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < until) {
            long c = manager.loop().cycles();
            if (c != seen) {
                seen = c;
                cycles.add((double) manager.loop().lastCycleMillis());
            }
            Thread.sleep(100);
        }
        return cycles.isEmpty() ? "-" : String.valueOf(percentile(cycles, 50).longValue());
    }

    static Process startPdns(Path dir, int port, List<String> addresses) throws Exception {
        StringBuilder zone = new StringBuilder("$TTL 1\n@ IN SOA ns." + ZONE + " hostmaster." + ZONE
                + " 1 3600 600 86400 1\n@ IN NS ns." + ZONE + "\n");
        for (String a : addresses.subList(0, Math.min(8, addresses.size()))) {
            zone.append("w IN A ").append(a).append('\n');
        }
        Files.writeString(dir.resolve("zone.db"), zone);
        Files.writeString(dir.resolve("named.conf"), "zone \"" + ZONE + "\" { type master; file \""
                + dir.resolve("zone.db") + "\"; };\n");
        Files.writeString(dir.resolve("pdns.conf"), "");
        Process p = new ProcessBuilder("pdns_server", "--config-dir=" + dir, "--launch=bind",
                "--bind-config=" + dir.resolve("named.conf"), "--local-address=127.0.0.1",
                "--local-port=" + port, "--socket-dir=" + dir, "--guardian=no", "--daemon=no",
                "--disable-syslog", "--write-pid=no", "--setuid=", "--setgid=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("pdns.log").toFile()).start();
        long until = System.currentTimeMillis() + 30_000;
        while (!Files.readString(dir.resolve("pdns.log")).contains("Done launching threads")) {
            if (!p.isAlive() || System.currentTimeMillis() > until) {
                throw new IllegalStateException("pdns_server did not start: " + Files.readString(dir.resolve("pdns.log")));
            }
            Thread.sleep(100);
        }
        return p;
    }

    static Double percentile(List<Double> values, int pct) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v[Math.min(v.length - 1, (int) Math.ceil(pct / 100.0 * v.length) - 1)];
    }

    static double median(List<Double> v) {
        return percentile(v, 50);
    }

    static void awaitReady(Process farm) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(farm.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("READY")) {
            System.err.println("[farm] " + line);
        }
        if (line == null) {
            throw new IllegalStateException("agent farm exited");
        }
    }

    /** A port free for both UDP and TCP right now. */
    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                int port = s.getLocalPort();
                try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                    return port;
                } catch (IOException taken) {
                    // UDP side in use: try another
                }
            }
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
