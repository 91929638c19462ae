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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU signal's decision, driven by a cgroup-v1 {@code cpu.stat} the test writes and a clock it moves: the kernel's
 * counters are the input, so the decision is tested without depending on how busy this machine is.
 */
class CpuSaturationTest {
    private static final long PERIOD_MILLIS = 100;
    private final FakeClock clock = new FakeClock();
    @TempDir
    Path dir;
    private long periods;
    private long throttled;

    private CpuThrottleCounter counter() throws IOException {
        Files.writeString(dir.resolve("cpu.cfs_period_us"), "100000\n");
        writeStat();
        CpuThrottleCounter c = CpuThrottleCounter.in(dir, "cpu.cfs_period_us");
        assertNotNull(c, "the counters are found in " + dir);
        return c;
    }

    private void writeStat() throws IOException {
        Files.writeString(dir.resolve("cpu.stat"), "nr_periods " + periods + "\nnr_throttled " + throttled
                + "\nthrottled_time " + throttled * 75_000_000L + "\nnr_bursts 0\nburst_time 0\n");
    }

    /** One CFS period passes: the group had work in it, and was throttled or not; then the probe samples. */
    private void period(CpuSaturation s, boolean wasThrottled) throws IOException {
        periods++;
        if (wasThrottled) {
            throttled++;
        }
        writeStat();
        clock.advanceMillis(PERIOD_MILLIS);
        s.maybeSample(clock.getAsLong());
    }

    private CpuSaturation saturation(CpuThrottleCounter c) {
        return new CpuSaturation(fixed(c), clock.getAsLong());
    }

    private static java.util.function.Supplier<CpuThrottleCounter> fixed(CpuThrottleCounter c) {
        return () -> c;
    }

    private static int spills(CpuSaturation s, int inFlight, int requests) {
        int n = 0;
        for (int i = 0; i < requests; i++) {
            if (s.spill(inFlight)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aThrottledServerShedsAShareThatGrowsWhileItStaysThrottled() throws IOException {
        CpuSaturation s = saturation(counter());
        assertEquals(0, spills(s, 20, 1000), "nothing known yet: nothing shed");
        period(s, true);
        double afterOne = s.shedFraction();
        assertTrue(afterOne > 0, "one throttled period starts the shedding: " + afterOne);
        for (int i = 0; i < 9; i++) {
            period(s, true);
        }
        assertTrue(s.shedFraction() > afterOne, "still throttled: sheds more, " + s.shedFraction());
        int shed = spills(s, 20, 10_000);
        assertTrue(shed > 0 && shed < 10_000, "some requests, not all, leave: " + shed);
        assertEquals(0, spills(s, 1, 1000), "a request alone on the server never waits, never leaves");
    }

    @Test
    void anIdleServerNeverSheds() throws IOException {
        CpuSaturation s = saturation(counter());
        for (int i = 0; i < 50; i++) {
            clock.advanceMillis(PERIOD_MILLIS); // no work: the counters do not move
            s.maybeSample(clock.getAsLong());
        }
        assertEquals(0.0, s.shedFraction());
        assertEquals(0, spills(s, 20, 1000));
    }

    @Test
    void anIoBoundServerWithAllWorkersBusyButNeverThrottledNeverSheds() throws IOException {
        CpuSaturation s = saturation(counter());
        for (int i = 0; i < 50; i++) {
            period(s, false); // busy periods (workers waiting on I/O), quota never exhausted
        }
        assertEquals(0.0, s.shedFraction());
        assertEquals(0, spills(s, 20, 1000), "20 requests in flight, CPU not the limit: all served here");
    }

    @Test
    void theShedFallsBackToZeroOnceThrottlingStops() throws IOException {
        CpuSaturation s = saturation(counter());
        for (int i = 0; i < 10; i++) {
            period(s, true);
        }
        assertTrue(s.shedFraction() > 0);
        for (int i = 0; i < 100; i++) {
            period(s, false);
        }
        assertEquals(0.0, s.shedFraction());
        assertEquals(0, spills(s, 20, 1000));
    }

    @Test
    void theShedHoldsWhereAFifthOfThePeriodsAreThrottledAndNeverReachesEverything() {
        double f = 0.3;
        // one throttled period in five: the controller's set point, f stays put
        double settled = CpuSaturation.next(f, reading(0, 0), reading(1, 1));
        for (int i = 1; i < 5; i++) {
            settled = CpuSaturation.next(settled, reading(i, 1), reading(i + 1, 1));
        }
        assertEquals(f, settled, 1e-12);
        assertEquals(f, CpuSaturation.next(f, reading(0, 0), reading(5, 1)), 1e-12, "the same in one read of five");
        double g = 0;
        for (int i = 0; i < 1000; i++) {
            g = CpuSaturation.next(g, reading(i, i), reading(i + 1, i + 1));
        }
        assertEquals(CpuSaturation.MAX_SHED, g, 1e-12, "always throttled: capped, some requests still served here");
    }

    @Test
    void countersThatGoBackwardsOrSkipReadsCountAsNotThrottled() {
        assertEquals(0.0, CpuSaturation.next(0.01, reading(100, 90), reading(5, 1)), 1e-12);
        // several periods between two samples (an idle stretch between requests): the share, not the count
        assertEquals(0.5 * CpuSaturation.UP - 0.5 * CpuSaturation.DOWN,
                CpuSaturation.next(0, reading(0, 0), reading(10, 5)), 1e-12);
    }

    @Test
    void samplesAtMostOncePerCfsPeriod() throws IOException {
        CpuSaturation s = saturation(counter());
        clock.advanceMillis(PERIOD_MILLIS);
        s.maybeSample(clock.getAsLong()); // baseline taken at construction; this one sees no change
        periods++;
        throttled++;
        writeStat();
        clock.advanceMillis(PERIOD_MILLIS / 2);
        s.maybeSample(clock.getAsLong());
        assertEquals(0.0, s.shedFraction(), "half a period later the counters are not read again");
        clock.advanceMillis(PERIOD_MILLIS / 2);
        s.maybeSample(clock.getAsLong());
        assertTrue(s.shedFraction() > 0, "a period later they are");
    }

    @Test
    void theProbeSpillsUnderCpuSaturationOnlyWithAnotherRequestInFlight() throws IOException {
        LoadProbe p = new LoadProbe(null, List.of(), fixed(counter()), clock, 1000);
        // the probe samples through enter(): drive it with requests, one per throttled period
        for (int i = 0; i < 20; i++) {
            periods++;
            throttled++;
            writeStat();
            clock.advanceMillis(PERIOD_MILLIS);
            p.enter(FakeRequests.plain());
            p.exit();
        }
        assertTrue(p.cpuShedFraction() > 0, "the probe's sampling fed the controller: " + p.cpuShedFraction());
        assertFalse(p.saturated(2), "one request in flight, the current one: it does not wait");
        p.enter(FakeRequests.plain());
        p.enter(FakeRequests.plain());
        boolean any = false;
        for (int i = 0; i < 1000 && !any; i++) {
            any = p.saturated(2);
        }
        assertTrue(any, "with another request in flight some requests are shed");
    }

    @Test
    void aProcessMovedIntoAThrottledGroupAfterItStartedIsFoundThere() throws IOException {
        CpuThrottleCounter[] where = {null}; // started outside any group with counters
        CpuSaturation s = new CpuSaturation(() -> where[0], clock.getAsLong());
        where[0] = counter(); // then confined (a supervisor moved it)
        for (int i = 0; i < 5; i++) {
            period(s, true);
        }
        assertEquals(0.0, s.shedFraction(), "not looked up again yet");
        clock.advanceMillis(TimeUnit.SECONDS.toMillis(CpuSaturation.RELOCATE_SECONDS));
        s.maybeSample(clock.getAsLong()); // found: this read is its baseline
        period(s, true);
        assertTrue(s.shedFraction() > 0, "its throttling now counts: " + s.shedFraction());
    }

    @Test
    void aProbeWithoutCpuCountersNeverSaysCpuSaturated() {
        LoadProbe p = new LoadProbe(null, List.of(), clock, 1000);
        p.enter(FakeRequests.plain());
        p.enter(FakeRequests.plain());
        assertEquals(-1, p.cpuShedFraction());
        assertFalse(p.saturated(2));
    }

    private static CpuThrottleCounter.Reading reading(long periods, long throttled) {
        return new CpuThrottleCounter.Reading(periods, throttled);
    }
}
