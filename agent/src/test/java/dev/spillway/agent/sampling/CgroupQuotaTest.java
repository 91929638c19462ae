package dev.spillway.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxClients;
import dev.spillway.agent.testing.CpuBurner;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.management.JMX;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real cgroup v1: a child JVM started inside a fresh cgroup with half a CPU of quota and a memory limit burns
 * two threads; an agent watching that JVM over JMX, or running inside it, reports its CPU against the quota (near
 * all of it, where the machine's figure could show at most a quarter of two CPUs) and says the figures are the
 * cgroup's. Skipped where cgroups cannot be made (not root, no v1 cpu/cpuacct/memory hierarchies).
 */
class CgroupQuotaTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** controller -> the directory made for this test in its hierarchy (one per mount; co-mounted share one). */
    private final Map<String, Path> made = new LinkedHashMap<>();
    private Process child;
    private RemoteJvm jvm;

    @AfterEach
    void cleanUp() throws Exception {
        if (jvm != null) {
            jvm.close();
        }
        if (child != null) {
            child.getOutputStream().close();
            child.destroy();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
        for (Path dir : new ArrayList<>(made.values())) {
            // the kernel lets a cgroup go once its last task has exited, which can lag the process's exit a little
            boolean removed = Await.eventually(Await.PATIENCE_MILLIS, () -> {
                try {
                    return Files.deleteIfExists(dir) || !Files.exists(dir);
                } catch (IOException e) {
                    return false;
                }
            });
            assertTrue(removed, "cgroup " + dir + " left behind");
        }
    }

    /** Half a CPU of quota and a 512 MiB memory limit, in a fresh cgroup per v1 hierarchy. */
    private void makeCgroup() throws IOException {
        Map<String, Path> mounts = v1Mounts();
        assumeTrue(mounts.keySet().containsAll(List.of("cpu", "cpuacct", "memory")),
                "needs cgroup v1 cpu, cpuacct and memory hierarchies; mounted: " + mounts);
        String name = "spillway-test-" + UUID.randomUUID();
        for (String controller : List.of("cpu", "cpuacct", "memory")) {
            Path dir = mounts.get(controller).resolve(name);
            if (!made.containsValue(dir)) {
                try {
                    Files.createDirectory(dir);
                } catch (IOException e) {
                    assumeTrue(false, "cannot create a cgroup (needs root): " + dir + ": " + e);
                }
            }
            made.put(controller, dir);
        }
        Files.writeString(made.get("cpu").resolve("cpu.cfs_period_us"), "100000");
        Files.writeString(made.get("cpu").resolve("cpu.cfs_quota_us"), "50000"); // half a CPU
        Files.writeString(made.get("memory").resolve("memory.limit_in_bytes"), String.valueOf(512L << 20));
    }

    @Test
    void aWatchedJvmInACgroupWithAQuotaReportsItsCpuAgainstTheQuota() throws Exception {
        makeCgroup();
        int port = Ports.free();
        startBurner(List.of("-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port, "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false"),
                "burning");
        jvm = new RemoteJvm("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi", "", "", false,
                Duration.ofSeconds(10));
        HostSampler sampler = new HostSampler("h", "", "", PlatformSampler.ofThisJvm(),
                List.of(new JvmReader(jvm)), null, null, System::currentTimeMillis);

        // Two burning threads get at most half a CPU: near 1 of the quota, where a quarter of this 2-CPU machine
        // is the most the machine's figure could show for them.
        HostLoad busy = sampleUntil(sampler, l -> "cgroup-v1".equals(l.getResourceScope()) && l.getSystemCpu() >= 0.8);
        assertTrue(busy.getSystemMemory() > 0 && busy.getSystemMemory() < 1, "memory of the 512 MiB limit: " + busy);

        // without a quota the cgroup is not the host's measure any more: CPU is the machine's again
        Files.writeString(made.get("cpu").resolve("cpu.cfs_quota_us"), "-1");
        HostLoad unlimited = sampleUntil(sampler, l -> l.getResourceScope().equals("cpu=machine memory=cgroup-v1"));
        assertTrue(Double.isNaN(unlimited.getSystemCpu())
                || (unlimited.getSystemCpu() >= 0 && unlimited.getSystemCpu() <= 1), unlimited.toString());
        assertEquals("cpu=machine memory=cgroup-v1", unlimited.getResourceScope());
    }

    /** An agent in the cgroup's JVM itself (as an embedded one is) finds its cgroup through its own pid. */
    @Test
    void anAgentInsideTheCgroupReportsItsOwnJvmsCgroup() throws Exception {
        makeCgroup();
        int port = Ports.free();
        String line = startBurner(List.of(), "spillway-agent started ", "--id", "inside", "--port",
                String.valueOf(port), "--interval", "1s");
        String url = line.substring(line.lastIndexOf(' ') + 1);
        try (JMXConnector c = JmxClients.connect(url, "", "", false, Duration.ofSeconds(10))) {
            AgentMXBean agent = JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.agent(),
                    AgentMXBean.class);
            List<String> seen = new ArrayList<>();
            // read over JMX as the manager does: the new field crosses as part of the HostLoad CompositeData
            boolean reached = Await.eventually(WAIT.toMillis(), () -> {
                HostLoad l = agent.getHostLoad();
                String now = l.getResourceScope() + " cpu=" + l.getSystemCpu();
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
                    seen.add(now);
                }
                return "cgroup-v1".equals(l.getResourceScope()) && l.getSystemCpu() >= 0.8;
            });
            assertTrue(reached, "samples: " + seen);
        }
    }

    /** Samples once a second (the rate is over the interval, so not faster) until {@code done} or {@link #WAIT}. */
    private HostLoad sampleUntil(HostSampler sampler, Predicate<HostLoad> done) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < end) {
            HostLoad l = sampler.sample();
            seen.add(l.getResourceScope() + " cpu=" + l.getSystemCpu());
            if (done.test(l)) {
                return l;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("not reached in " + WAIT + "; samples: " + seen);
    }

    /**
     * Starts {@link CpuBurner} with two threads and {@code burnerArgs}, and returns its first output line that starts
     * with {@code ready}. The child joins the cgroups in the shell before exec'ing the JVM, so every JVM thread
     * runs inside them.
     */
    private String startBurner(List<String> jvmArgs, String ready, String... burnerArgs) throws Exception {
        StringBuilder join = new StringBuilder();
        for (Path dir : new java.util.LinkedHashSet<>(made.values())) {
            join.append("echo $$ > ").append(dir.resolve("cgroup.procs")).append(" && ");
        }
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", join + "exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-Djava.rmi.server.hostname=127.0.0.1"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CpuBurner.class.getName(), "2"));
        cmd.addAll(List.of(burnerArgs));
        child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
            if (line.startsWith(ready)) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling
                        }
                    } catch (IOException e) {
                        // child gone
                    }
                }, "burner-output");
                drain.setDaemon(true);
                drain.start();
                return line;
            }
        }
        throw new AssertionError("the burner JVM did not start: " + lines);
    }

    /** Controller name -> mount point of each cgroup v1 hierarchy, from /proc/self/mountinfo. */
    private static Map<String, Path> v1Mounts() throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        Path mountinfo = Path.of("/proc/self/mountinfo");
        if (!Files.isReadable(mountinfo)) {
            return out;
        }
        for (String line : Files.readAllLines(mountinfo)) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash > 0 && dash + 3 < f.length && f[dash + 1].equals("cgroup") && f[3].equals("/")) {
                for (String option : f[dash + 3].split(",")) {
                    out.put(option, Path.of(f[4]));
                }
            }
        }
        return out;
    }
}
