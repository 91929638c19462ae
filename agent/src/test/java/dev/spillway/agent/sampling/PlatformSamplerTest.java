package dev.spillway.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

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
        long total;
        long free;

        @Override public double getCpuLoad() { return cpu; }
        @Override public double getProcessCpuLoad() { return processCpu; }
        @Override public long getTotalMemorySize() { return total; }
        @Override public long getFreeMemorySize() { return free; }
        @Override public long getCommittedVirtualMemorySize() { return -1; }
        @Override public long getTotalSwapSpaceSize() { return -1; }
        @Override public long getFreeSwapSpaceSize() { return -1; }
        @Override public long getProcessCpuTime() { return -1; }
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

    private static HostLoad sample(PlatformSampler s) {
        HostLoad.Builder b = HostLoad.builder("h");
        s.sample(b);
        return b.build();
    }

    @Test
    void reportsWhatTheExtendedBeanGives() {
        SunOs os = new SunOs();
        os.cpu = 0.25;
        os.processCpu = 0.1;
        os.total = 1000;
        os.free = 100;
        Memory mem = new Memory();
        mem.heap = new MemoryUsage(10, 40, 80, 100);
        HostLoad l = sample(new PlatformSampler(os, mem, () -> 600));
        assertEquals(0.25, l.getSystemCpu());
        assertEquals(0.1, l.getProcessCpu());
        assertEquals(0.4, l.getSystemMemory(), 1e-9, "MemAvailable (600 of 1000) wins over 'free' (100)");
        assertEquals(40, l.getHeapUsedBytes());
        assertEquals(100, l.getHeapMaxBytes());
    }

    @Test
    void freeMemoryIsUsedWhenAvailableIsUnknown() {
        SunOs os = new SunOs();
        os.total = 1000;
        os.free = 250;
        HostLoad l = sample(new PlatformSampler(os, null, () -> -1));
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
        HostLoad l = sample(new PlatformSampler(os, mem, () -> -1));
        assertTrue(Double.isNaN(l.getSystemCpu()), "cpu " + l.getSystemCpu());
        assertTrue(Double.isNaN(l.getProcessCpu()));
        assertTrue(Double.isNaN(l.getSystemMemory()));
        assertEquals(-1, l.getHeapMaxBytes(), "a heap without a maximum has an unknown max, not 0");
        assertEquals(5, l.getHeapUsedBytes());
    }

    @Test
    void aPlainOperatingSystemBeanGivesNoCpuOrMemoryFigures() {
        HostLoad l = sample(new PlatformSampler(new PlainOs(), null, () -> 600));
        assertTrue(Double.isNaN(l.getSystemCpu()));
        assertTrue(Double.isNaN(l.getProcessCpu()));
        assertTrue(Double.isNaN(l.getSystemMemory()));
        assertEquals(-1, l.getHeapUsedBytes());
    }

    @Test
    void readsMemAvailableLines() {
        assertEquals(123456, LinuxMemInfo.parseKilobytes("MemAvailable:     123456 kB"));
    }
}
