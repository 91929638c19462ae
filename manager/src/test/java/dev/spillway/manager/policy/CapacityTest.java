package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import org.junit.jupiter.api.Test;

/** The CPU bound of a host's capacity counts the CPU its pages used, not what its JIT compiler and GC used. */
class CapacityTest {
    private static final double SHARE = 0.8;

    /** 20 workers of 10 ms (2000/s by workers), 82 req/s served, in a CPU cgroup at {@code cpu} of its quota. */
    private static HostLoad capped(double cpu, double runtimeCpu) {
        return Loads.capacity("b", 20, 10, 82).toBuilder().systemCpu(cpu).runtimeCpu(runtimeCpu)
                .resourceScope("cgroup-v1").build();
    }

    @Test
    void aHostWhoseCpuIsMostlyCompilationIsNotReadAsFull() {
        Capacity compiling = Capacity.estimate(capped(0.95, 0.6), 10, 0, SHARE);
        assertEquals(82 / 0.35, compiling.capacity(), 1e-9, "its pages used 0.35 of the quota, not 0.95");
        assertTrue(compiling.spare() > 0.5 * 82, "room for others once its own pages are counted: " + compiling);

        Capacity naive = Capacity.estimate(capped(0.95, Double.NaN), 10, 0, SHARE);
        assertEquals(82 / 0.95, naive.capacity(), 1e-9, "an agent that does not say: the whole CPU");
        assertEquals(0, naive.spare(), "read as full: 0.8 x 86.3 < 82");
    }

    @Test
    void aWarmHostsSmallRuntimeShareChangesLittle() {
        Capacity warm = Capacity.estimate(capped(0.46, 0.01), 10, 0, SHARE);
        assertEquals(82 / 0.45, warm.capacity(), 1e-9);
    }

    @Test
    void whenCompilationLeavesTooLittleToExtrapolateTheWholeCpuCounts() {
        // 0.95 - 0.9 = 0.05 of the quota for 82 pages/s would promise 1640/s: too little measured to believe
        Capacity busy = Capacity.estimate(capped(0.95, 0.9), 10, 0, SHARE);
        assertEquals(82 / 0.95, busy.capacity(), 1e-9);
        Capacity over = Capacity.estimate(capped(0.5, 0.7), 10, 0, SHARE);
        assertEquals(82 / 0.5, over.capacity(), 1e-9, "a runtime figure above the CPU figure takes it all");
    }

    @Test
    void theMachinesCpuStillBoundsNothingWhateverTheRuntimeShare() {
        HostLoad machine = capped(0.95, 0.6).toBuilder().resourceScope("machine").build();
        assertEquals(2000, Capacity.estimate(machine, 10, 0, SHARE).capacity(), 1e-9);
    }
}
