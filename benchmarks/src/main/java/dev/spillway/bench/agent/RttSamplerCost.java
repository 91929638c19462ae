package dev.spillway.bench.agent;

import dev.spillway.agent.sampling.ClientRttSampler;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU cost of one client round-trip sample ({@code ss -tinH} on a port with N established connections): the JVM's
 * side (spawn, read, parse) from the process CPU time, and {@code ss}'s own from this process's reaped-children
 * time in {@code /proc/self/stat}. Prints per-sample milliseconds and the share of a core at a 5 s interval.
 *
 * <pre>
 *   java -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.agent.RttSamplerCost [connections] [runs]
 * </pre>
 */
public final class RttSamplerCost {
    public static void main(String[] args) throws Exception {
        int conns = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        List<Socket> keep = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < conns; i++) {
                Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket s = server.accept();
                s.getOutputStream().write(1); // data, so the kernel has an RTT sample
                c.getInputStream().read();
                keep.add(c);
                keep.add(s);
            }
            ClientRttSampler ss = new ClientRttSampler("ss", List.of(server.getLocalPort()));
            for (int i = 0; i < 5; i++) {
                ss.sample();
            }
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long jvm0 = os.getProcessCpuTime();
            long child0 = childrenTicks();
            int seen = 0;
            for (int i = 0; i < runs; i++) {
                seen = ss.sample().size();
            }
            double jvmMs = (os.getProcessCpuTime() - jvm0) / 1e6 / runs;
            double ssMs = (childrenTicks() - child0) * 10.0 / runs; // USER_HZ = 100 on Linux
            System.out.printf("connections %d (measured %d), %d samples: agent JVM %.2f ms + ss %.2f ms CPU per"
                    + " sample = %.3f%% of a core at rtt.interval=5s; load average %.2f%n", conns, seen, runs, jvmMs,
                    ssMs, (jvmMs + ssMs) / 5000 * 100, os.getSystemLoadAverage());
        } finally {
            for (Socket s : keep) {
                s.close();
            }
        }
    }

    /** utime + stime of reaped children (fields 16 and 17 of /proc/self/stat), in clock ticks. */
    static long childrenTicks() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]); // fields 16, 17 counted from 1, after pid and comm
    }
}
