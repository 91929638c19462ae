package dev.spillway.bench.agent;

import com.sun.net.httpserver.HttpServer;
import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.core.Agent;
import dev.spillway.agent.core.AgentSettings;
import dev.spillway.agent.jmx.JmxClients;
import dev.spillway.agent.sampling.LocalJvm;
import dev.spillway.scripted.ScriptedFilter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.StandardMBean;
import javax.management.remote.JMXConnector;

/**
 * The agent's own cost at its default 1 s interval, as it runs embedded in a container JVM: three filter MXBeans to
 * read, a health URL to probe, a manager stand-in polling {@code HostLoad} over JMX once a second, and (since the
 * agent is registered with that stand-in, which gives it surge marks) the quick queue checks between samples while
 * the figures arm them; the marks are never reached, so no alert is sent. Counts the
 * CPU time and heap allocation of the agent's threads ({@code spillway-agent-*}), the JDK's HTTP keep-alive timer
 * and the RMI threads serving the poll; the poller's own thread is not counted (it is the manager's cost).
 *
 * <pre>java -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.agent.AgentCostBenchmark [seconds [check [delay]]]</pre>
 * {@code check} is the agent's {@code surge.check-interval} (default 250ms; 0ms measures the agent without it);
 * {@code delay}, ms, the queue delay the filters report (default none: a quiet host, on which the quick checks stay
 * disarmed; 150 keeps them running).
 */
public final class AgentCostBenchmark {
    private AgentCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        long delayMillis = args.length > 2 ? Long.parseLong(args[2]) : -1;
        for (String ctx : List.of("/shop", "/blog", "/api")) {
            mbs.registerMBean(new StandardMBean(filter(delayMillis), FilterMXBean.class, true), ObjectNames.filter(ctx));
        }
        HttpServer health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        health.createContext("/health", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        health.start();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ManagerStandIn manager = ManagerStandIn.start();
        Map<String, String> conf = new HashMap<>();
        conf.put("manager.url", manager.url());
        conf.put("host.id", "bench");
        conf.put("jmx.port", String.valueOf(port));
        conf.put("sample.interval", "1s");
        conf.put("surge.check-interval", args.length > 1 ? args[1] : "250ms"); // 0ms: without the quick checks
        conf.put("health.url", "http://127.0.0.1:" + health.getAddress().getPort() + "/health");
        AgentSettings settings = AgentSettings.from(ConfigValues.of(conf));

        try (Agent agent = Agent.start(settings, mbs, List.of(new LocalJvm(mbs)));
             JMXConnector poller = JmxClients.connect(agent.serviceUrl(), null, null, false, Duration.ofSeconds(5))) {
            AgentMXBean remote = JMX.newMXBeanProxy(poller.getMBeanServerConnection(), ObjectNames.agent(),
                    AgentMXBean.class);
            ThreadCost cost = new ThreadCost();
            int warmup = Math.min(10, Math.max(2, seconds / 5));
            System.out.printf("warming up %d s, then measuring %d s at a 1 s interval...%n", warmup, seconds);
            poll(remote, warmup);
            long samples0 = remote.getSamples();
            ThreadCost.Snapshot start = cost.snapshot();
            long wall0 = System.nanoTime();
            HostLoad last = poll(remote, seconds);
            long wall = System.nanoTime() - wall0;
            ThreadCost.Snapshot end = cost.snapshot();
            long samples = remote.getSamples() - samples0;

            long cpu = end.cpuNanos() - start.cpuNanos();
            long alloc = end.allocatedBytes() - start.allocatedBytes();
            System.out.println();
            System.out.println("| figure | value | goal |");
            System.out.println("|---|---|---|");
            System.out.printf("| samples taken | %d in %.1f s | 1 per s |%n", samples, wall / 1e9);
            System.out.printf("| quick queue checks | every %d ms while armed, marks '%s', filters' queue delay %s | |%n",
                    settings.surgeCheckInterval().toMillis(), remote.getSurgeMarks(),
                    delayMillis < 0 ? "unknown (quiet)" : delayMillis + " ms");
            System.out.printf("| CPU, fraction of one core | %.3f %% | < 0.5 %% |%n", 100.0 * cpu / wall);
            System.out.printf("| CPU per sample | %.3f ms | |%n", cpu / 1e6 / samples);
            System.out.printf("| heap allocated per sample | %.1f KB | < 64 KB |%n", alloc / 1024.0 / samples);
            for (String group : end.names()) {
                long[] e = end.byGroup().get(group);
                long[] b = start.byGroup().getOrDefault(group, new long[2]);
                System.out.printf("| - %s | %.3f ms CPU, %.1f KB per sample | |%n", group,
                        (e[0] - b[0]) / 1e6 / samples, (e[1] - b[1]) / 1024.0 / samples);
            }
            System.out.println();
            System.out.println("last snapshot: " + last);
        } finally {
            health.stop(0);
            manager.close();
        }
    }

    /**
     * A scripted filter; with {@code delayMillis >= 0} it reports that queue delay (100 ms and more keeps the quick
     * checks armed, below the 400 ms mark no alert is sent), otherwise none (a quiet host: no quick checks).
     */
    private static FilterMXBean filter(long delayMillis) {
        FilterMXBean scripted = new ScriptedFilter(System::nanoTime);
        if (delayMillis < 0) {
            return scripted;
        }
        return (FilterMXBean) java.lang.reflect.Proxy.newProxyInstance(FilterMXBean.class.getClassLoader(),
                new Class<?>[] {FilterMXBean.class}, (proxy, method, margs) -> {
                    if (method.getName().equals("getQueueDelayMillis")) {
                        return delayMillis;
                    }
                    try {
                        return method.invoke(scripted, margs);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static HostLoad poll(AgentMXBean remote, int seconds) throws InterruptedException {
        HostLoad last = null;
        for (int i = 0; i < seconds; i++) {
            Thread.sleep(1_000);
            last = remote.getHostLoad();
        }
        return last;
    }

    /** CPU and allocation of the threads that belong to the agent side. */
    static final class ThreadCost {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        record Snapshot(long cpuNanos, long allocatedBytes, List<String> names, Map<String, long[]> byGroup) {
        }

        ThreadCost() {
            threads.setThreadCpuTimeEnabled(true);
            threads.setThreadAllocatedMemoryEnabled(true);
        }

        static boolean agentSide(String name) {
            return name.startsWith("spillway-agent-") || name.startsWith("Keep-Alive-")
                    || name.startsWith("RMI TCP Connection");
        }

        Snapshot snapshot() {
            long cpu = 0;
            long alloc = 0;
            java.util.TreeSet<String> names = new java.util.TreeSet<>();
            Map<String, long[]> byGroup = new java.util.TreeMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!agentSide(t.getName())) {
                    continue;
                }
                long id = t.getId();
                long c = threads.getThreadCpuTime(id);
                long a = threads.getThreadAllocatedBytes(id);
                if (c >= 0 && a >= 0) {
                    cpu += c;
                    alloc += a;
                    String group = t.getName().replaceAll("\\d+", "N");
                    names.add(group);
                    long[] g = byGroup.computeIfAbsent(group, k -> new long[2]);
                    g[0] += c;
                    g[1] += a;
                }
            }
            return new Snapshot(cpu, alloc, List.copyOf(names), byGroup);
        }
    }
}
