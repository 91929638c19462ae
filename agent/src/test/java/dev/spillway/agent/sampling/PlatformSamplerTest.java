package dev.spillway.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import java.io.IOException;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformSamplerTest {

    /** A JVM whose OperatingSystemMXBean is only the java.lang.management one (no com.sun extension). */
    static final class PlainOs implements OperatingSystemMXBean {
        @Override public String getName() { return "x"; }
        @Override public String getArch() { return "x"; }
        @Override public String getVersion() { return "x"; }
        @Override public int getAvailableProcessors() { return 2; }
        @Override public double getSystemLoadAverage() { return -1; }
        @Override public ObjectName getObjectName() { return null; }
    }

    /** The com.sun extension, with every figure settable; negative means "not available", as in the JDK. */
    static final class SunOs implements com.sun.management.OperatingSystemMXBean {
        double cpu;
        double processCpu;
        long processCpuTime = -1;
        long total;
        long free;

        @Override public double getCpuLoad() { return cpu; }
        @Override public double getProcessCpuLoad() { return processCpu; }
        @Override public long getTotalMemorySize() { return total; }
        @Override public long getFreeMemorySize() { return free; }
        @Override public long getCommittedVirtualMemorySize() { return -1; }
        @Override public long getTotalSwapSpaceSize() { return -1; }
        @Override public long getFreeSwapSpaceSize() { return -1; }
        @Override public long getProcessCpuTime() { return processCpuTime; }
        @SuppressWarnings("deprecation") @Override public long getFreePhysicalMemorySize() { return free; }
        @SuppressWarnings("deprecation") @Override public long getTotalPhysicalMemorySize() { return total; }
        @SuppressWarnings("deprecation") @Override public double getSystemCpuLoad() { return cpu; }
        @Override public String getName() { return "x"; }
        @Override public String getArch() { return "x"; }
        @Override public String getVersion() { return "x"; }
        @Override public int getAvailableProcessors() { return 2; }
        @Override public double getSystemLoadAverage() { return -1; }
        @Override public ObjectName getObjectName() { return null; }
    }

    static final class Memory implements MemoryMXBean {
        MemoryUsage heap;

        @Override public int getObjectPendingFinalizationCount() { return 0; }
        @Override public MemoryUsage getHeapMemoryUsage() { return heap; }
        @Override public MemoryUsage getNonHeapMemoryUsage() { return heap; }
        @Override public boolean isVerbose() { return false; }
        @Override public void setVerbose(boolean value) { }
        @Override public void gc() { }
        @Override public ObjectName getObjectName() { return null; }
    }

    @TempDir
    Path dir;

    private static HostLoad sample(PlatformSampler s) {
        HostLoad.Builder b = HostLoad.builder("h");
        s.sample(b);
        return b.build();
    }

    private ProcFiles proc(String stat, String meminfo) throws IOException {
        Files.writeString(dir.resolve("stat"), stat);
        Files.writeString(dir.resolve("meminfo"), meminfo);
        return new ProcFiles(dir.resolve("stat").toString(), dir.resolve("meminfo").toString());
    }

    @Test
    void cpuFromProcStatDeltasAndMemoryFromMemAvailable() throws Exception {
        SunOs os = new SunOs();
        os.cpu = 0.99; // not used where /proc/stat can be read
        os.total = 1000 * 1024;
        os.free = 100 * 1024;
        os.processCpuTime = 0;
        Memory mem = new Memory();
        mem.heap = new MemoryUsage(10, 40, 80, 100);
        ProcFiles proc = proc("cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3 4\n",
                "MemTotal:        1000 kB\nMemFree:          100 kB\nMemAvailable:     600 kB\n");
        PlatformSampler s = new PlatformSampler(os, mem, proc);
        HostLoad first = sample(s);
        assertTrue(Double.isNaN(first.getSystemCpu()), "one reading of /proc/stat gives no rate yet");
        assertTrue(Double.isNaN(first.getProcessCpu()));
        assertEquals(0.4, first.getSystemMemory(), 1e-9, "MemAvailable (600 of 1000) wins over 'free' (100)");
        assertEquals(40, first.getHeapUsedBytes());
        assertEquals(100, first.getHeapMaxBytes());

        proc("cpu  250 0 150 1300 100 0 0 0 0 0\n", "MemAvailable:     250 kB\n");
        os.processCpuTime = 1_000_000;
        HostLoad second = sample(s);
        assertEquals(200.0 / 800.0, second.getSystemCpu(), 1e-9, "busy 200 of 800 ticks (iowait counts as idle)");
        assertTrue(second.getProcessCpu() >= 0 && second.getProcessCpu() <= 1, "process " + second.getProcessCpu());
        assertEquals(0.75, second.getSystemMemory(), 1e-9);
    }

    @Test
    void withoutProcTheExtendedBeanIsUsed() {
        SunOs os = new SunOs();
        os.cpu = 0.25;
        os.total = 1000;
        os.free = 250;
        HostLoad l = sample(new PlatformSampler(os, null, null));
        assertEquals(0.25, l.getSystemCpu());
        assertEquals(0.75, l.getSystemMemory(), 1e-9);
    }

    @Test
    void unsupportedFiguresAreUnknownNotZero() {
        SunOs os = new SunOs();
        os.cpu = -1;
        os.processCpu = -1;
        os.total = 0;
        os.free = 0;
        Memory mem = new Memory();
        mem.heap = new MemoryUsage(0, 5, 8, -1);
        PlatformSampler s = new PlatformSampler(os, mem, new ProcFiles("/nonexistent/stat", "/nonexistent/meminfo"));
        sample(s);
        HostLoad l = sample(s);
        assertTrue(Double.isNaN(l.getSystemCpu()), "cpu " + l.getSystemCpu());
        assertTrue(Double.isNaN(l.getProcessCpu()), "process cpu time -1 means unknown");
        assertTrue(Double.isNaN(l.getSystemMemory()));
        assertEquals(-1, l.getHeapMaxBytes(), "a heap without a maximum has an unknown max, not 0");
        assertEquals(5, l.getHeapUsedBytes());
    }

    @Test
    void aPlainOperatingSystemBeanGivesNoCpuOrMemoryFigures() {
        PlatformSampler s = new PlatformSampler(new PlainOs(), null, null);
        sample(s);
        HostLoad l = sample(s);
        assertTrue(Double.isNaN(l.getSystemCpu()));
        assertTrue(Double.isNaN(l.getProcessCpu()));
        assertTrue(Double.isNaN(l.getSystemMemory()));
        assertEquals(-1, l.getHeapUsedBytes());
    }

    @Test
    void procFilesWithoutTheLinesAreUnknown() throws Exception {
        ProcFiles p = proc("intr 1 2 3\n", "MemTotal: 5 kB\n");
        assertFalse(p.cpuTicks(new long[2]));
        assertEquals(-1, p.memAvailableBytes());
    }
}
