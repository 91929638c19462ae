package dev.spillway.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cgroup figures over fake /proc and /sys/fs/cgroup trees written in a temp dir: v1 and v2 layouts, limited and
 * unlimited. {@link CgroupQuotaTest} runs the same code against a real v1 cgroup.
 */
class CgroupSamplerTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long GIB = 1L << 30;
    private static final long V1_NO_LIMIT = 9223372036854771712L;

    @TempDir
    Path dir;

    private Path write(String relative, String text) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** A v1 machine like this one: cpu, cpuacct and memory each mounted on its own, plus an idle v2 hierarchy. */
    private CgroupLocator v1Machine(long pid, String cgroup) throws IOException {
        write("proc/" + pid + "/cgroup", "9:name=systemd:/\n4:memory:" + cgroup + "\n2:cpuacct:" + cgroup
                + "\n1:cpu:" + cgroup + "\n0::/\n");
        Path mountinfo = write("mountinfo", String.join("\n",
                "31 23 0:28 / " + dir.resolve("fs") + " rw,relatime - tmpfs tmpfs rw,mode=755",
                "32 31 0:29 / " + dir.resolve("fs/cpu") + " rw,relatime - cgroup cgroup rw,cpu",
                "33 31 0:30 / " + dir.resolve("fs/cpuacct") + " rw,relatime - cgroup cgroup rw,cpuacct",
                "35 31 0:32 / " + dir.resolve("fs/memory") + " rw,relatime shared:9 - cgroup cgroup rw,memory",
                "41 31 0:38 / " + dir.resolve("fs/unified") + " rw,relatime - cgroup2 cgroup2 rw", ""));
        return new CgroupLocator(dir.resolve("proc"), mountinfo);
    }

    private CgroupLocator v2Machine(long pid, String cgroup) throws IOException {
        write("proc/" + pid + "/cgroup", "0::" + cgroup + "\n");
        Path mountinfo = write("mountinfo",
                "30 23 0:26 / " + dir.resolve("fs") + " rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        return new CgroupLocator(dir.resolve("proc"), mountinfo);
    }

    private void v1Cpu(String cgroup, long quotaMicros, long usageNanos) throws IOException {
        write("fs/cpu" + cgroup + "/cpu.cfs_quota_us", quotaMicros + "\n");
        write("fs/cpu" + cgroup + "/cpu.cfs_period_us", "100000\n");
        write("fs/cpuacct" + cgroup + "/cpuacct.usage", usageNanos + "\n");
    }

    private void v1Memory(String cgroup, long limit, long usage, long inactiveFile) throws IOException {
        write("fs/memory" + cgroup + "/memory.limit_in_bytes", limit + "\n");
        write("fs/memory" + cgroup + "/memory.usage_in_bytes", usage + "\n");
        write("fs/memory" + cgroup + "/memory.stat", "cache 5\ninactive_file 1\ntotal_cache 5\ntotal_inactive_file "
                + inactiveFile + "\n");
    }

    private void v2Files(String cgroup, String cpuMax, long usageMicros, String memoryMax, long current,
                         long inactiveFile) throws IOException {
        write("fs" + cgroup + "/cpu.max", cpuMax + "\n");
        write("fs" + cgroup + "/cpu.stat", "usage_usec " + usageMicros + "\nuser_usec 1\nsystem_usec 2\n");
        write("fs" + cgroup + "/memory.max", memoryMax + "\n");
        write("fs" + cgroup + "/memory.current", current + "\n");
        write("fs" + cgroup + "/memory.stat", "anon 100\nfile 900\nactive_file 300\ninactive_file " + inactiveFile
                + "\nslab 7\n");
    }

    @Test
    void v1CpuAgainstItsQuotaAndMemoryWithoutInactiveCacheAgainstItsLimit() throws Exception {
        CgroupDirs dirs = v1Machine(42, "/web/a").locate(42);
        assertEquals(dir.resolve("fs/cpu/web/a"), dirs.cpuV1());
        assertEquals(dir.resolve("fs/cpuacct/web/a"), dirs.cpuacctV1());
        assertEquals(dir.resolve("fs/memory/web/a"), dirs.memoryV1());
        v1Cpu("/web/a", 50_000, 7 * SECOND);
        v1Memory("/web/a", GIB, 600 << 20, 88 << 20);

        CgroupSampler s = new CgroupSampler(2);
        s.sample(dirs, 10 * SECOND, 4 * GIB);
        assertEquals("cgroup-v1", s.cpuScope());
        assertTrue(Double.isNaN(s.cpu()), "one reading gives no rate yet, and unknown is not 0: " + s.cpu());
        assertEquals("cgroup-v1", s.memoryScope());
        assertEquals(512.0 / 1024, s.memory(), 1e-9, "600 MiB used minus 88 MiB inactive cache of 1 GiB");

        v1Cpu("/web/a", 50_000, 7 * SECOND + 300_000_000L); // 0.3 CPU-seconds in 2 s with half a CPU
        s.sample(dirs, 12 * SECOND, 4 * GIB);
        assertEquals(0.3, s.cpu(), 1e-9);

        v1Cpu("/web/a", 50_000, 7 * SECOND + 800_000_000L); // 0.5 CPU-seconds in 1 s: all of its quota
        s.sample(dirs, 13 * SECOND, 4 * GIB);
        assertEquals(1.0, s.cpu(), 1e-9);
    }

    @Test
    void v2CpuMaxAndMemoryMax() throws Exception {
        CgroupDirs dirs = v2Machine(7, "/system.slice/shop.service").locate(7);
        assertEquals(dir.resolve("fs/system.slice/shop.service"), dirs.unified());
        assertNull(dirs.cpuV1());
        v2Files("/system.slice/shop.service", "25000 100000", 1_000, "2000000", 1_500_000, 500_000);

        CgroupSampler s = new CgroupSampler(2);
        s.sample(dirs, SECOND, 8 * GIB);
        assertEquals("cgroup-v2", s.cpuScope());
        assertEquals("cgroup-v2", s.memoryScope());
        assertEquals(0.5, s.memory(), 1e-9, "1.5 MB current minus 0.5 MB inactive_file of 2 MB");

        v2Files("/system.slice/shop.service", "25000 100000", 201_000, "2000000", 1_500_000, 500_000);
        s.sample(dirs, 2 * SECOND, 8 * GIB);
        assertEquals(0.8, s.cpu(), 1e-9, "0.2 CPU-seconds in 1 s against a quarter of a CPU");
    }

    @Test
    void unlimitedCgroupsAreNotTheHostsOwnMeasure() throws Exception {
        CgroupDirs v1 = v1Machine(42, "/").locate(42);
        v1Cpu("", -1, 5 * SECOND);
        v1Memory("", V1_NO_LIMIT, GIB, 0);
        CgroupSampler s = new CgroupSampler(2);
        s.sample(v1, SECOND, 4 * GIB);
        v1Cpu("", -1, 6 * SECOND);
        s.sample(v1, 2 * SECOND, 4 * GIB);
        assertNull(s.cpuScope(), "cfs_quota_us -1: no quota");
        assertNull(s.memoryScope(), "v1's huge 'no limit' number");
        assertTrue(Double.isNaN(s.cpu()) && Double.isNaN(s.memory()));

        CgroupDirs v2 = v2Machine(8, "/u").locate(8);
        v2Files("/u", "max 100000", 5, "max", 10, 0);
        s.sample(v2, 3 * SECOND, 4 * GIB);
        assertNull(s.cpuScope(), "cpu.max 'max'");
        assertNull(s.memoryScope(), "memory.max 'max'");
    }

    @Test
    void limitsThatCannotBindCountAsNone() throws Exception {
        CgroupDirs dirs = v1Machine(42, "/big").locate(42);
        v1Cpu("/big", 200_000, SECOND); // 2 CPUs on a 2-CPU machine
        v1Memory("/big", 4 * GIB, GIB, 0); // all of the machine's memory
        CgroupSampler s = new CgroupSampler(2);
        s.sample(dirs, SECOND, 4 * GIB);
        assertNull(s.cpuScope());
        assertNull(s.memoryScope());

        v1Cpu("/big", 150_000, SECOND); // 1.5 CPUs does bind on 2
        s.sample(dirs, 2 * SECOND, 4 * GIB);
        assertEquals("cgroup-v1", s.cpuScope());
    }

    @Test
    void filesThatAppearInARunningCgroupAreSeen() throws Exception {
        CgroupDirs dirs = v2Machine(9, "/late").locate(9);
        write("fs/late/cpu.stat", "usage_usec 0\n");
        CgroupSampler s = new CgroupSampler(2);
        s.sample(dirs, SECOND, -1);
        assertNull(s.cpuScope(), "no cpu.max: the cpu controller is not enabled here");
        v2Files("/late", "50000 100000", 0, "max", 0, 0); // enabled, with a quota
        for (int i = 0; i < CgroupSampler.FILES_REFRESH_SAMPLES; i++) {
            s.sample(dirs, (2 + i) * SECOND, -1);
        }
        assertEquals("cgroup-v2", s.cpuScope());
    }

    @Test
    void anotherCgroupStartsItsRateAfresh() throws Exception {
        CgroupLocator machine = v1Machine(42, "/a");
        CgroupDirs a = machine.locate(42);
        write("proc/43/cgroup", "2:cpuacct:/b\n1:cpu:/b\n");
        CgroupDirs b = machine.locate(43);
        v1Cpu("/a", 50_000, 10 * SECOND);
        v1Cpu("/b", 50_000, 2 * SECOND);
        CgroupSampler s = new CgroupSampler(2);
        s.sample(a, SECOND, -1);
        s.sample(b, 2 * SECOND, -1);
        assertEquals("cgroup-v1", s.cpuScope());
        assertTrue(Double.isNaN(s.cpu()), "no delta between two cgroups' counters: " + s.cpu());
        assertNull(s.memoryScope(), "no memory files in this cgroup");
    }

    @Test
    void aMountOfASubtreeResolvesPathsBelowItsRootOnly() throws Exception {
        write("proc/5/cgroup", "3:cpu,cpuacct:/kubepods/pod1/c1\n");
        write("proc/6/cgroup", "3:cpu,cpuacct:/other/c2\n");
        Path mountinfo = write("mountinfo", "40 31 0:29 /kubepods/pod1 " + dir.resolve("fs/cpu\\040acct")
                + " rw - cgroup cgroup rw,cpu,cpuacct\n");
        CgroupLocator locator = new CgroupLocator(dir.resolve("proc"), mountinfo);
        CgroupDirs d = locator.locate(5);
        assertEquals(dir.resolve("fs/cpu acct/c1"), d.cpuV1());
        assertEquals(d.cpuV1(), d.cpuacctV1(), "cpu and cpuacct mounted together");
        assertEquals(CgroupDirs.NONE, locator.locate(6), "outside the mounted subtree");
        assertEquals(CgroupDirs.NONE, locator.locate(999), "no such process");
    }

    @Test
    void thePlatformReportsTheCgroupsFiguresAndSaysSo() throws Exception {
        CgroupDirs dirs = v1Machine(42, "/web/a").locate(42);
        v1Cpu("/web/a", 50_000, SECOND);
        Files.writeString(dir.resolve("stat"), "cpu  100 0 100 800 0 0 0 0 0 0\n");
        Files.writeString(dir.resolve("meminfo"), "MemTotal:        1000 kB\nMemAvailable:     600 kB\n");
        PlatformSamplerTest.SunOs os = new PlatformSamplerTest.SunOs();
        os.total = 1000 * 1024;
        PlatformSampler p = new PlatformSampler(os, null,
                new ProcFiles(dir.resolve("stat").toString(), dir.resolve("meminfo").toString()),
                new CgroupSampler(2));

        HostLoad.Builder b = HostLoad.builder("h");
        p.sample(b, dirs);
        HostLoad first = b.build();
        assertEquals("cpu=cgroup-v1 memory=machine", first.getResourceScope(), "a CPU quota, no memory files");
        assertTrue(Double.isNaN(first.getSystemCpu()), "the cgroup's first reading, not the machine's figure");
        assertEquals(0.4, first.getSystemMemory(), 1e-9, "the machine's memory");

        CgroupDirs both = v1Machine(43, "/web/b").locate(43);
        v1Cpu("/web/b", 50_000, SECOND);
        v1Memory("/web/b", 500 * 1024, 100 * 1024, 0);
        b = HostLoad.builder("h");
        p.sample(b, both);
        HostLoad second = b.build();
        assertEquals("cgroup-v1", second.getResourceScope());
        assertEquals(0.2, second.getSystemMemory(), 1e-9);
        assertTrue(Double.isNaN(second.getSystemCpu()), "another cgroup: no rate yet " + second.getSystemCpu());

        Files.writeString(dir.resolve("stat"), "cpu  150 0 150 900 0 0 0 0 0 0\n");
        b = HostLoad.builder("h");
        p.sample(b, CgroupDirs.NONE);
        HostLoad machine = b.build();
        assertEquals("machine", machine.getResourceScope());
        assertEquals(0.5, machine.getSystemCpu(), 1e-9, "the machine's ticks, kept up while the cgroup was used");
    }

    @Test
    void aHostHasItsOwnCgroupOnlyWhenEveryJvmSharesItAndRunsHere() throws Exception {
        long self = ProcessHandle.current().pid();
        long start = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        CgroupLocator locator = v1Machine(self, "/shop");
        HostCgroups cgroups = new HostCgroups(locator);
        JvmProcess me = new JvmProcess(self, start);
        assertEquals(dir.resolve("fs/cpu/shop"), cgroups.of(List.of(me)).cpuV1());

        JvmProcess elsewhere = new JvmProcess(self, start - 3_600_000); // same pid, another pid namespace's JVM
        assertEquals(CgroupDirs.NONE, cgroups.of(List.of(elsewhere)));

        long other = ProcessHandle.current().parent().orElseThrow().pid();
        long otherStart = ProcessHandle.of(other).orElseThrow().info().startInstant().orElseThrow().toEpochMilli();
        write("proc/" + other + "/cgroup", "2:cpuacct:/other\n1:cpu:/other\n");
        assertEquals(CgroupDirs.NONE, cgroups.of(List.of(me, new JvmProcess(other, otherStart))),
                "two cgroups: no one limit to measure against");
        assertEquals(CgroupDirs.NONE, cgroups.of(List.of()));
    }

    @Test
    void onlineCpuListsAreCounted() throws Exception {
        assertEquals(5, OnlineCpus.count(write("online", "0-3,6\n"), 1));
        assertEquals(1, OnlineCpus.count(write("online", "0\n"), 7));
        assertEquals(7, OnlineCpus.count(write("online", "garbage\n"), 7));
        assertEquals(7, OnlineCpus.count(dir.resolve("missing"), 7));
    }
}
