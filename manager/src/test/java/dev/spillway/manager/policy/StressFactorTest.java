package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import org.junit.jupiter.api.Test;

class StressFactorTest {
    private static final Thresholds T = Thresholds.DEFAULTS;

    @Test
    void instantIsTheLargestNormalizedComponent() {
        // queue 10/50 = 0.2, delay 100/200 = 0.5, cpu 0.425/0.85 = 0.5, heap 0.63/0.9 = 0.7
        assertEquals(0.7, StressFactor.instant(Loads.of("a", 10, 100, 0.425, 0.63), T), 1e-9);
    }

    @Test
    void responseTimeCountsRelativeToTheUnloadedBaseline() {
        // 40 ms against a 10 ms baseline = 4x; (4 - 1) / (3 - 1) = 1.5
        HostLoad l = HostLoad.builder("a").healthResponseMillis(40).healthBaselineMillis(10).systemCpu(0.1).build();
        assertEquals(1.5, StressFactor.instant(l, T), 1e-9);
        HostLoad atBaseline = HostLoad.builder("a").healthResponseMillis(10).healthBaselineMillis(10).build();
        assertEquals(0.0, StressFactor.instant(atBaseline, T), 1e-9);
    }

    @Test
    void unknownFiguresAreLeftOutNotZero() {
        assertTrue(Double.isNaN(StressFactor.instant(HostLoad.builder("a").build(), T)));
        assertEquals(1.0, StressFactor.instant(Loads.cpu("a", 0.85), T), 1e-9);
        assertTrue(Double.isNaN(new StressFactor(T).value()), "no history yet is unknown");
    }

    @Test
    void componentsAreCappedAtTwo() {
        assertEquals(2.0, StressFactor.instant(Loads.delay("a", 100_000), T), 1e-9);
    }

    @Test
    void historyDecaysByTwoOverNineSamples() {
        StressFactor s = new StressFactor(T);
        assertEquals(0.5, s.update(Loads.delay("a", 100)), 1e-9);
        // (1.0 * 1 + 0.5 * 1/2) / (1 + 1/2)
        assertEquals(1.25 / 1.5, s.update(Loads.delay("a", 200)), 1e-9);
        for (int i = 0; i < 20; i++) {
            s.update(Loads.delay("a", 0));
        }
        assertEquals(0.0, s.value(), 1e-12, "old samples fall out of the 10-sample window");
        s.update(Loads.delay("a", 400));   // 2.0 newest, nine zeros behind it
        double weights = 0;
        for (int i = 0; i <= 9; i++) {
            weights += Math.pow(0.5, i);
        }
        assertEquals(2.0 / weights, s.value(), 1e-12);
    }
}
