package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cpu.stat} as cgroup v1 and v2 write it, and what is not a counter. */
class CpuThrottleCounterTest {
    @TempDir
    Path dir;

    @Test
    void readsCgroupV1() throws IOException {
        Files.writeString(dir.resolve("cpu.cfs_period_us"), "50000\n");
        Files.writeString(dir.resolve("cpu.stat"),
                "nr_periods 120\nnr_throttled 37\nthrottled_time 2774000000\nnr_bursts 0\nburst_time 0\n");
        CpuThrottleCounter c = CpuThrottleCounter.in(dir, "cpu.cfs_period_us");
        assertNotNull(c);
        assertEquals(new CpuThrottleCounter.Reading(120, 37), c.read());
        assertEquals(50_000_000L, c.periodNanos());
    }

    @Test
    void readsCgroupV2WithThePeriodFromCpuMax() throws IOException {
        Files.writeString(dir.resolve("cpu.max"), "25000 100000\n");
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 8812345\nuser_usec 7000000\nsystem_usec 1812345\n"
                + "nr_periods 400\nnr_throttled 12\nthrottled_usec 900000\nnr_bursts 0\nburst_usec 0\n");
        CpuThrottleCounter c = CpuThrottleCounter.in(dir, "cpu.max");
        assertNotNull(c);
        assertEquals(new CpuThrottleCounter.Reading(400, 12), c.read());
        assertEquals(100_000_000L, c.periodNanos());
    }

    @Test
    void aV2CgroupWithoutAQuotaStillCountsAndTheDefaultPeriodApplies() throws IOException {
        Files.writeString(dir.resolve("cpu.max"), "max 100000\n");
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 1\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
        CpuThrottleCounter c = CpuThrottleCounter.in(dir, "cpu.max");
        assertEquals(new CpuThrottleCounter.Reading(0, 0), c.read()); // never moves without a quota: never fires
        assertEquals(100_000_000L, c.periodNanos());
    }

    @Test
    void noCountersNoSource() throws IOException {
        assertNull(CpuThrottleCounter.in(null, "cpu.max"));
        assertNull(CpuThrottleCounter.in(dir, "cpu.max"), "no cpu.stat");
        // the v2 root cgroup's cpu.stat has usage but no bandwidth counters
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 10\nuser_usec 5\nsystem_usec 5\n");
        assertNull(CpuThrottleCounter.in(dir, "cpu.max"));
        Files.writeString(dir.resolve("cpu.stat"), "nr_periods x\nnr_throttled 3\n");
        assertNull(CpuThrottleCounter.in(dir, "cpu.max"), "a malformed figure is no figure");
    }
}
