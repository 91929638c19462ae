package dev.spillway.bench.hotspot;

import dev.spillway.bench.cluster.BenchCluster;
import dev.spillway.bench.report.RunInfo;
import dev.spillway.demo.Home;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What moving a page costs the server it was sent to, in CPU time, against what serving it there costs: three demo
 * servers (separate JVMs, as in the hotspot benchmark), closed-loop clients on server a's page, and a's process CPU
 * time (the JVM's own {@code ProcessCpuTime}, read over its agent's JMX connector) per request while a serves the
 * page, while a proxies every request to b, and while a redirects every one (a directive with fraction 1.0, no
 * manager); b's CPU per request it serves for a beside it. On a CPU-capped server the proxy's relay spends the quota
 * the pages need: this says how much. Prints a table; not a test.
 *
 * <p>Usage: {@code java -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.hotspot.RelayCost
 * [--page /work?cost=2000] [--clients 8] [--seconds 10] [--out DIR]} (run it under the benchmark lock).
 */
public final class RelayCost {
    private RelayCost() {
    }

    public static void main(String[] args) throws Exception {
        String page = "/work?cost=2000";
        int clients = 8;
        int seconds = 10;
        Path out = Path.of("benchmarks/results/relay-cost");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--page" -> page = args[i + 1];
                case "--clients" -> clients = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --page, --clients, --seconds, --out");
            }
        }
        System.out.printf("# relay cost: page %s, %d closed-loop clients, %d s warm-up + %d s measured per phase;"
                + " load average %s%n", page, clients, seconds, seconds, RunInfo.loadAverage());
        try (BenchCluster c = HotspotBench.cluster(Home.locate(), out.resolve("run"), "relay-cost",
                Map.of("a", 20, "b", 20, "c", 20), null, HotspotBench.shippedManagerConf(), null,
                FilterVariant.DEFAULTS);
             JMXConnector a = connect(c.server("a").jmxPort());
             JMXConnector b = connect(c.server("b").jmxPort())) {
            String url = c.server("a").baseUrl() + page;
            System.out.println("phase     requests  a CPU us/req  b CPU us/req  answers");
            phase("local", url, clients, seconds, a, b, null);
            phase("proxy", url, clients, seconds, a, b, "PROXY");
            phase("redirect", url, clients, seconds, a, b, "REDIRECT");
        }
        System.out.printf("# load average at the end: %s%n", RunInfo.loadAverage());
    }

    private static void phase(String name, String url, int clients, int seconds, JMXConnector a, JMXConnector b,
            String mode) throws Exception {
        MBeanServerConnection ma = a.getMBeanServerConnection();
        ObjectName filter = ma.queryNames(new ObjectName("dev.spillway:type=Filter,*"), null).iterator().next();
        if (mode == null) {
            ma.invoke(filter, "clearDirective", new Object[0], new String[0]);
        } else {
            ma.invoke(filter, "applyDirective", new Object[] {mode, new String[] {"b"}, 1.0, 600_000L},
                    new String[] {"java.lang.String", "[Ljava.lang.String;", "double", "long"});
        }
        ClosedLoopClients load = new ClosedLoopClients(url, clients, true, "relay-cost");
        try {
            Thread.sleep(seconds * 1000L); // warm-up: JIT, connection pools
            long cpuA = cpu(a);
            long cpuB = cpu(b);
            long done0 = load.answered();
            Thread.sleep(seconds * 1000L);
            long n = load.answered() - done0;
            double perA = (cpu(a) - cpuA) / 1e3 / Math.max(1, n);
            double perB = (cpu(b) - cpuB) / 1e3 / Math.max(1, n);
            System.out.printf(Locale.ROOT, "%-9s %8d  %12.0f  %12.0f  %s%n", name, n, perA, perB, load.statuses());
        } finally {
            load.stop();
        }
    }

    private static long cpu(JMXConnector c) throws Exception {
        return ((Number) c.getMBeanServerConnection().getAttribute(
                new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME), "ProcessCpuTime")).longValue();
    }

    private static JMXConnector connect(int port) throws Exception {
        return JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"));
    }
}
