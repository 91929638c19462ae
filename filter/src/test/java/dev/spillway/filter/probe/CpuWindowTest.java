package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU signal's decision, driven by a cgroup-v1 group (co-mounted {@code cpu,cpuacct}) whose files the test writes
 * and a clock it moves: the kernel's usage counter is the input, so the decision does not depend on this machine.
 */
class CpuWindowTest {
    private static final long STEP_MILLIS = CpuWindow.SAMPLE_MILLIS;
    private final FakeClock clock = new FakeClock();
    @TempDir
    Path dir;
    private long usageNanos;

    private CgroupCpu group(String quotaMicros) throws IOException {
        Files.writeString(dir.resolve("cpu.cfs_period_us"), "100000\n");
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), quotaMicros + "\n");
        writeUsage();
        CgroupCpu g = CgroupCpu.v1(dir, dir);
        assertNotNull(g, "the group is found in " + dir);
        return g;
    }

    private void writeUsage() throws IOException {
        Files.writeString(dir.resolve("cpuacct.usage"), usageNanos + "\n");
    }

    /** The group runs at {@code cpus} CPUs for {@code millis}, one request (and so one chance to sample) per step. */
    private void run(CpuWindow w, double cpus, long millis) throws IOException {
        for (long t = 0; t < millis; t += STEP_MILLIS) {
            usageNanos += Math.round(cpus * TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS));
            writeUsage();
            clock.advanceMillis(STEP_MILLIS);
            w.maybeSample(clock.getAsLong());
        }
    }

    private CpuWindow window(CgroupCpu g) {
        return new CpuWindow(fixed(g), clock.getAsLong());
    }

    private static Supplier<CgroupCpu> fixed(CgroupCpu g) {
        return () -> g;
    }

    @Test
    void firesWhenTheWindowsCpuReachesTheQuota() throws IOException {
        CpuWindow w = window(group("25000")); // a quarter CPU
        run(w, 0.20, 300); // 80% of the quota: below the margin
        assertEquals(0.8, w.load(), 0.02);
        assertFalse(w.hot(), "under the quota's margin nothing spills");
        run(w, 0.25, CpuWindow.WINDOW_MILLIS); // a window at the quota
        assertEquals(1.0, w.load(), 0.02);
        assertTrue(w.hot(), "at the quota a request spills");
    }

    @Test
    void firesWithinTheWindowNotAPeriodLate() throws IOException {
        CpuWindow w = window(group("25000"));
        run(w, 0.10, 300);
        assertFalse(w.hot());
        // demand jumps to two full cores: the window passes the margin after a fraction of a period
        run(w, 2.0, 10);
        assertTrue(w.hot(), "hot " + 10 + " ms after the jump: " + w.load());
    }

    @Test
    void coolsOnceTheWindowFallsBelowTheMargin() throws IOException {
        CpuWindow w = window(group("25000"));
        run(w, 0.25, 200);
        assertTrue(w.hot());
        run(w, 0.15, CpuWindow.WINDOW_MILLIS + STEP_MILLIS);
        assertFalse(w.hot(), "the excess left: requests are served here again (" + w.load() + ")");
    }

    @Test
    void neverWithoutAQuota() throws IOException {
        CpuWindow w = window(group("-1"));
        run(w, 2.0, 500); // all the machine's CPU: still no quota to exceed
        assertFalse(w.hot());
        assertEquals(0.0, w.load());
        assertEquals(CgroupCpu.NO_QUOTA, w.quotaCpus());
    }

    @Test
    void neverOnAnIdleServer() throws IOException {
        CpuWindow w = window(group("25000"));
        run(w, 0.0, 500);
        assertFalse(w.hot());
        run(w, 0.30, 200); // busy, then idle for seconds: the first request after it sees an old, cool window
        clock.advanceMillis(3000);
        w.maybeSample(clock.getAsLong());
        assertFalse(w.hot(), "after an idle pause: " + w.load());
    }

    @Test
    void aQuotaSetWhileRunningCountsFromTheNextLookup() throws IOException {
        CpuWindow w = window(group("-1"));
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), "25000\n"); // an operator caps the running server
        run(w, 0.5, 200);
        assertFalse(w.hot(), "the quota is read once a second, not on every sample");
        run(w, 0.5, TimeUnit.SECONDS.toMillis(CpuWindow.RELOCATE_SECONDS) + CpuWindow.WINDOW_MILLIS);
        assertEquals(0.25, w.quotaCpus(), 1e-9);
        assertTrue(w.hot(), "twice the quota: " + w.load());
    }

    @Test
    void aProcessMovedIntoACappedGroupAfterItStartedIsFoundThere() throws IOException {
        CgroupCpu[] where = {null}; // started outside any readable group
        CpuWindow w = new CpuWindow(() -> where[0], clock.getAsLong());
        where[0] = group("25000"); // then confined
        run(w, 0.5, 500);
        assertFalse(w.hot(), "not looked up again yet");
        run(w, 0.5, TimeUnit.SECONDS.toMillis(CpuWindow.RELOCATE_SECONDS) + CpuWindow.WINDOW_MILLIS);
        assertTrue(w.hot(), "its usage now counts: " + w.load());
    }

    /** As {@link #run}, of which a share {@code movedInShare} was spent serving requests moved here from a peer. */
    private void run(CpuWindow w, double cpus, double movedInShare, long millis) throws IOException {
        for (long t = 0; t < millis; t += STEP_MILLIS) {
            long used = Math.round(cpus * TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS));
            usageNanos += used;
            writeUsage();
            w.movedInEnds(w.movedInStarts() - Math.round(used * movedInShare)); // as if it ran that long here
            clock.advanceMillis(STEP_MILLIS);
            w.maybeSample(clock.getAsLong());
        }
    }

    @Test
    void cpuSpentOnRequestsMovedHereIsFullButNotHot() throws IOException {
        CpuWindow w = window(group("25000"));
        run(w, 0.25, 0.6, 300); // at the quota, 60% of it for a peer's excess: our own 40% is far from the quota
        assertEquals(1.0, w.load(), 0.02);
        assertTrue(w.full(), "no room for more here: a proxying origin is told so");
        assertFalse(w.hot(), "our own requests are not moved on because of load a peer gave us");
        run(w, 0.25, 0.0, CpuWindow.WINDOW_MILLIS + STEP_MILLIS); // the same CPU, all of it our own
        assertTrue(w.hot(), "our own requests at the quota: they spill");
    }

    @Test
    void theProbeTimesOnlyMovedInRequestsAndOnlyUnderAQuota() throws IOException {
        LoadProbe uncapped = new LoadProbe(null, List.of(), fixed(group("-1")), clock, 1000);
        assertEquals(LoadProbe.NOT_TIMED, uncapped.movedInStarts(), "no quota: no thread CPU read");
        LoadProbe capped = new LoadProbe(null, List.of(), fixed(group("25000")), clock, 1000);
        long start = capped.movedInStarts();
        assertTrue(start >= 0, "under a quota a moved-in request's thread CPU is read: " + start);
        capped.movedInEnds(start);
    }

    @Test
    void theProbeSamplesThroughRequestsAndSaysSaturatedAtTheQuota() throws IOException {
        LoadProbe p = new LoadProbe(null, List.of(), fixed(group("25000")), clock, 1000);
        for (int i = 0; i < 40; i++) { // 200 ms at twice the quota, one request per step
            usageNanos += TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS) / 2;
            writeUsage();
            clock.advanceMillis(STEP_MILLIS);
            p.enter(FakeRequests.plain());
            p.exit();
        }
        assertEquals(2.0, p.cpuQuotaLoad(), 0.05);
        p.enter(FakeRequests.plain());
        assertTrue(p.saturated(2), "its CPU would be throttled: it spills though the pool is idle");
    }

    @Test
    void aProbeWithoutACpuSignalNeverSaysCpuSaturated() {
        LoadProbe p = new LoadProbe(null, List.of(), clock, 1000);
        p.enter(FakeRequests.plain());
        p.enter(FakeRequests.plain());
        assertEquals(-1, p.cpuQuotaLoad());
        assertFalse(p.saturated(2));
    }
}
