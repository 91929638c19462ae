package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HysteresisTest {

    @Test
    void entersAfterNAboveAndLeavesAfterMBelow() {
        Hysteresis h = new Hysteresis(3, 2, 0);
        assertFalse(h.update(250, 200, 100));
        assertFalse(h.update(250, 200, 100));
        assertTrue(h.update(250, 200, 100), "on at the third sample above the high mark");
        assertTrue(h.update(150, 200, 100), "between the marks keeps it on");
        assertTrue(h.update(50, 200, 100));
        assertFalse(h.update(50, 200, 100), "off at the second sample below the low mark");
    }

    @Test
    void oneSampleFarAboveTheHighMarkEntersAtOnce() {
        Hysteresis h = new Hysteresis(3, 2, 2.0);
        assertFalse(h.update(399, 200, 100), "below twice the mark: wait for confirmation");
        assertTrue(h.update(400, 200, 100), "twice the mark: on at once");
        Hysteresis off = new Hysteresis(3, 2, 0);
        assertFalse(off.update(10_000, 200, 100), "surge 0: always wait");
        assertFalse(off.update(10_000, 200, 100));
        assertTrue(off.update(10_000, 200, 100));
    }

    @Test
    void aBrokenRunStartsAgain() {
        Hysteresis h = new Hysteresis(3, 3, 0);
        h.update(250, 200, 100);
        h.update(250, 200, 100);
        h.update(150, 200, 100);
        assertFalse(h.update(250, 200, 100), "run was broken by a sample between the marks");
        assertFalse(h.update(Double.NaN, 200, 100), "unknown is not above");
        assertFalse(h.isOn());
    }

    @Test
    void noisySeriesAroundTheHighMarkNeverFlaps() {
        // Queue delay wobbling +-30 ms around the 200 ms high mark: it either never enters, or enters once and
        // then stays (it never goes below the 100 ms low mark), so at most one transition.
        Random r = new Random(42);
        OverloadDetector d = new OverloadDetector(Thresholds.DEFAULTS, 1000);
        int transitions = 0;
        boolean last = false;
        for (int i = 0; i < 2000; i++) {
            boolean now = d.update(Loads.delay("a", 200 + (r.nextDouble() * 60 - 30)));
            if (now != last) {
                transitions++;
            }
            last = now;
        }
        assertTrue(transitions <= 1, "flapped " + transitions + " times");
    }

    @Test
    void noisySeriesBetweenTheMarksAfterOverloadStaysOverloaded() {
        Random r = new Random(7);
        OverloadDetector d = new OverloadDetector(Thresholds.DEFAULTS, 1000);
        for (int i = 0; i < 3; i++) {
            d.update(Loads.delay("a", 300));
        }
        assertTrue(d.overloaded());
        int transitions = 0;
        boolean last = true;
        for (int i = 0; i < 2000; i++) {
            // mostly between 100 and 200, now and then dipping below 100 for a single sample
            double v = r.nextInt(10) == 0 ? 90 : 100 + r.nextDouble() * 100;
            boolean now = d.update(Loads.delay("a", v));
            if (now != last) {
                transitions++;
            }
            last = now;
        }
        assertEquals(0, transitions, "single dips below the low mark must not end the overload");
    }

    @Test
    void reasonSaysWhatAndForHowLong() {
        OverloadDetector d = new OverloadDetector(Thresholds.DEFAULTS, 1000);
        HostLoad l = Loads.delay("a", 240);
        d.update(l);
        d.update(l);
        d.update(l);
        assertEquals("queue delay 240 ms > 200 ms for 3 s", d.reason());
    }

    @Test
    void failureGoesUnknownThenFailedAndRecovers() {
        FailureTracker f = new FailureTracker(3);
        assertEquals(null, f.state());
        f.missed("refused");
        assertEquals(HostState.UNKNOWN, f.state());
        f.missed("refused");
        assertEquals(HostState.UNKNOWN, f.state());
        f.missed("refused");
        assertEquals(HostState.FAILED, f.state());
        f.polled(true, true);
        assertEquals(null, f.state());
        for (int i = 0; i < 3; i++) {
            f.polled(true, false);
        }
        assertEquals(HostState.FAILED, f.state());
        assertTrue(f.reason().startsWith("application health check down"));
    }
}
