package dev.spillway.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPU of a JVM's JIT and GC threads, from per-thread stat files: only those threads count, and only growth. */
class RuntimeThreadsTest {
    @TempDir
    Path proc;

    private void thread(long pid, long tid, String name, long utime, long stime) throws IOException {
        Path task = proc.resolve(pid + "/task/" + tid);
        Files.createDirectories(task);
        // the fields of stat(5) after the name: state, ppid, ..., utime (14th of the line), stime (15th)
        Files.writeString(task.resolve("stat"), tid + " (" + name + ") S 1 " + pid + " " + pid
                + " 0 -1 4194368 100 0 0 0 " + utime + " " + stime + " 0 0 20 0 30 0 4444 3133440 382\n");
    }

    @Test
    void onlyCompilerAndCollectorThreadsCountAndTheirGrowthIsTheRate() throws IOException {
        thread(42, 43, "C2 CompilerThre", 300, 20);
        thread(42, 44, "GC Thread#0", 10, 5);
        thread(42, 45, "jetty-a-17", 5000, 900); // a worker with a name of its own: a page's CPU
        thread(42, 46, "C1 CompilerThre", 7, 0);
        RuntimeThreads threads = new RuntimeThreads(proc);
        CounterRates ticks = new CounterRates();

        ticks.begin();
        assertTrue(threads.addTo(ticks, 42));
        ticks.end(1_000);
        thread(42, 43, "C2 CompilerThre", 340, 30); // +50
        thread(42, 44, "GC Thread#0", 20, 5); // +10
        thread(42, 45, "jetty-a-17", 9000, 1900); // +5000, not counted
        Files.delete(proc.resolve("42/task/46/stat")); // a compiler thread that ended: nothing to add
        ticks.begin();
        assertTrue(threads.addTo(ticks, 42));
        assertEquals(30.0, ticks.end(3_000), 1e-9, "(50 + 10) ticks over 2 s");
    }

    @Test
    void aProcessWhoseThreadsCannotBeReadSaysSo() {
        assertFalse(new RuntimeThreads(proc).addTo(new CounterRates(), 99));
    }

    @Test
    void thisJvmsCompilerThreadsAreFoundInTheRealProcFiles() {
        Path real = Path.of("/proc");
        assumeTrue(Files.isDirectory(real.resolve(ProcessHandle.current().pid() + "/task")),
                "needs Linux's /proc/PID/task (per-thread stat files); not present here");
        CounterRates ticks = new CounterRates();
        ticks.begin();
        assertTrue(new RuntimeThreads(real).addTo(ticks, ProcessHandle.current().pid()));
        ticks.end(1_000);
        ticks.begin();
        new RuntimeThreads(real).addTo(ticks, ProcessHandle.current().pid());
        double rate = ticks.end(2_000);
        // a running JVM always has a C1 or C2 compiler thread (or a collector) seen twice: a known rate, maybe 0
        assertFalse(Double.isNaN(rate), "no JIT or GC thread of this JVM was found in /proc");
        assertTrue(rate >= 0, "rate " + rate);
    }

    @Test
    void namesAreMatchedByTheirPrefixAsTheKernelCutsThem() {
        assertTrue(RuntimeThreads.isRuntime("C2 CompilerThre"));
        assertTrue(RuntimeThreads.isRuntime("G1 Conc#0"));
        assertTrue(RuntimeThreads.isRuntime("VM Thread"));
        assertFalse(RuntimeThreads.isRuntime("VM Periodic Tas"));
        assertFalse(RuntimeThreads.isRuntime("qtp1234-17"));
    }
}
