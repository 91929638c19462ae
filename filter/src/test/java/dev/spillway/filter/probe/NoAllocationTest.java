package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * enter/exit must not allocate. Measured with the JVM's per-thread allocation counter over a million calls after
 * warm-up; any per-request allocation would be at least 16 MB, the bound allows 64 KiB of noise. JMH's gc profiler
 * is the precise check; this one keeps a regression from passing the unit tests.
 */
class NoAllocationTest {
    private static final class ConstantArrival extends ContainerTimestampSource {
        @Override
        MethodHandle resolve(Class<?> requestClass) {
            return MethodHandles.dropArguments(MethodHandles.constant(long.class, System.nanoTime()), 0, Object.class);
        }

        @Override
        public String name() {
            return "constant";
        }
    }

    private static final class ConstantLength implements QueueLengthSource {
        @Override
        public int queueLength() {
            return 7;
        }

        @Override
        public String name() {
            return "constant";
        }
    }

    @Test
    void enterAndExitAllocateNothing() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        Assumptions.assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled());

        LoadProbe probe = new LoadProbe(new ConstantLength(), List.of(new ConstantArrival()), System::nanoTime, 1000);
        HttpServletRequest request = FakeRequests.plain();
        run(probe, request, 2_000_000);
        long tid = Thread.currentThread().getId();
        long before = counter.getThreadAllocatedBytes(tid);
        run(probe, request, 1_000_000);
        long allocated = counter.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated over 1,000,000 enter/exit pairs");
    }

    private static void run(LoadProbe probe, HttpServletRequest request, int times) {
        for (int i = 0; i < times; i++) {
            probe.enter(request);
            probe.exit();
        }
    }
}
