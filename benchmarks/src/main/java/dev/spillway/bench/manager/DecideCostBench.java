package dev.spillway.bench.manager;

import dev.spillway.agent.contract.HostLoad;
import dev.spillway.manager.policy.Observation;
import dev.spillway.manager.policy.Policy;
import dev.spillway.manager.policy.PolicyConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The decide phase of the manager's cycle alone, without I/O: {@link Policy#decide} over N hosts with the figures
 * {@link SimulatedAgent} reports (one in twenty hot, the others 40-120 requests/s drawn afresh each cycle, seeded),
 * once per simulated second. Prints the CPU time of the deciding thread per cycle (median, p95), which, unlike wall
 * time, hardly depends on what else runs on the machine.
 *
 * <pre>
 *   java -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.manager.DecideCostBench [hosts...]
 * </pre>
 */
public final class DecideCostBench {
    private static final int WARMUP = 30;
    private static final int MEASURED = 60;

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {1000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("%-6s %-14s %-14s %s%n", "hosts", "cpu p50 ms", "cpu p95 ms", "load avg");
        for (int n : sizes) {
            Policy policy = new Policy(PolicyConfig.defaults(1000));
            SplittableRandom random = new SplittableRandom(42);
            long[] cpu = new long[MEASURED];
            for (int i = 0; i < WARMUP + MEASURED; i++) {
                List<Observation> obs = observations(n, random, i * 1000L);
                long t0 = threads.getCurrentThreadCpuTime();
                policy.decide(i * 1000L, obs);
                long took = threads.getCurrentThreadCpuTime() - t0;
                if (i >= WARMUP) {
                    cpu[i - WARMUP] = took;
                }
            }
            Arrays.sort(cpu);
            System.out.printf("%-6d %-14.1f %-14.1f %.1f%n", n, cpu[MEASURED / 2] / 1e6,
                    cpu[(int) Math.ceil(MEASURED * 0.95) - 1] / 1e6,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static List<Observation> observations(int n, SplittableRandom r, long now) {
        List<Observation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = "h" + i;
            boolean hot = i % 20 == 0;
            HostLoad load = HostLoad.builder(id).zone("z" + (id.hashCode() & 3)).timestampMillis(now)
                    .queueDelayMillis((hot ? 260 : 40) + r.nextDouble(-30, 30)).queueLength(hot ? 60 : r.nextInt(10))
                    .systemCpu(hot ? 0.9 : r.nextDouble(0.1, 0.6)).heapUsedBytes(r.nextLong(100, 600))
                    .heapMaxBytes(1000).healthResponseMillis(hot ? 40 : 12).healthBaselineMillis(10)
                    .maxWorkers(20).serviceTimeMillis(100 + r.nextDouble(-5, 5))
                    .requestRate(hot ? 260 : r.nextDouble(40, 120)).build();
            out.add(Observation.polled(id, load.getZone(), load, false));
        }
        return out;
    }
}
