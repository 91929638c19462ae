package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup files as the kernel writes them, v1 and v2, and what is no usable group. */
class CgroupCpuTest {
    @TempDir
    Path dir;

    @Test
    void readsV1UsageAndQuota() throws IOException {
        Files.writeString(dir.resolve("cpuacct.usage"), "123456789\n");
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), "25000\n");
        Files.writeString(dir.resolve("cpu.cfs_period_us"), "100000\n");
        CgroupCpu g = CgroupCpu.v1(dir, dir);
        assertNotNull(g);
        assertEquals(123456789L, g.usageNanos());
        assertEquals(0.25, g.quotaCpus(), 1e-12);
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), "-1\n");
        assertEquals(CgroupCpu.NO_QUOTA, g.quotaCpus(), "no quota");
    }

    @Test
    void readsV2UsageAndQuota() throws IOException {
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 4000\nuser_usec 3000\nsystem_usec 1000\n"
                + "nr_periods 400\nnr_throttled 12\nthrottled_usec 900000\n");
        Files.writeString(dir.resolve("cpu.max"), "50000 100000\n");
        CgroupCpu g = CgroupCpu.v2(dir);
        assertNotNull(g);
        assertEquals(4_000_000L, g.usageNanos());
        assertEquals(0.5, g.quotaCpus(), 1e-12);
        Files.writeString(dir.resolve("cpu.max"), "max 100000\n");
        assertEquals(CgroupCpu.NO_QUOTA, g.quotaCpus(), "no quota");
    }

    @Test
    void aV1ProcessConfinedOnlyInCpuGetsNoSignalFromTheMachineWideCpuacctRoot() throws IOException {
        Path cpu = Files.createDirectories(dir.resolve("cpu/spillway"));
        Path acctRoot = Files.createDirectories(dir.resolve("cpuacct"));
        Files.writeString(acctRoot.resolve("release_agent"), "\n");
        Files.writeString(acctRoot.resolve("cpuacct.usage"), "999999999999\n");
        assertNull(CgroupCpu.v1(cpu, acctRoot), "the root's usage is every process's");
        Path acct = Files.createDirectories(acctRoot.resolve("spillway"));
        Files.writeString(acct.resolve("cpuacct.usage"), "5\n");
        assertNotNull(CgroupCpu.v1(cpu, acct), "a group of the same name in cpuacct is the same group");
    }

    @Test
    void noGroupWhereTheFilesAreMissingOrMalformed() throws IOException {
        assertNull(CgroupCpu.v1(null, null));
        assertNull(CgroupCpu.v2(null));
        assertNull(CgroupCpu.v2(dir), "no cpu.max: the v2 root");
        Files.writeString(dir.resolve("cpu.max"), "max 100000\n");
        Files.writeString(dir.resolve("cpu.stat"), "nr_periods 0\n");
        assertNull(CgroupCpu.v2(dir), "no usage_usec");
        Files.writeString(dir.resolve("cpuacct.usage"), "many\n");
        assertNull(CgroupCpu.v1(dir, dir), "a malformed figure is no figure");
    }
}
