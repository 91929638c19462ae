package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Thresholds are read by name into named marks, and a low mark above its high mark is refused by its key. */
class ThresholdSettingsTest {
    @Test
    void eachKeyLandsInItsNamedMark() {
        Thresholds t = ThresholdSettings.read(ConfigValues.of(Map.of("threshold.cpu.high", "0.6",
                "threshold.cpu.low", "0.5", "threshold.queueDelay.high", "1s", "hysteresis.leave", "7")));
        assertEquals(new Thresholds.Marks(0.6, 0.5), t.cpu());
        assertEquals(new Thresholds.Marks(1000, 100), t.queueDelayMs());
        assertEquals(new Thresholds.Marks(50, 20), t.queueLength());
        assertEquals(7, t.leaveAfter());
        assertEquals(3, t.enterAfter());
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        Thresholds d = Thresholds.DEFAULTS;
        assertEquals(new Thresholds.Marks(50, 20), d.queueLength());
        assertEquals(new Thresholds.Marks(200, 100), d.queueDelayMs());
        assertEquals(new Thresholds.Marks(0.85, 0.70), d.cpu());
        assertEquals(new Thresholds.Marks(0.90, 0.80), d.memory());
        assertEquals(new Thresholds.Marks(3.0, 2.0), d.responseRatio());
        assertEquals(2.0, d.surge());
    }

    @Test
    void aLowMarkAboveItsHighMarkNamesTheLowKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ThresholdSettings.read(ConfigValues.of(Map.of(
                "threshold.memory.high", "0.5", "threshold.memory.low", "0.6"))));
        assertEquals("threshold.memory.low", e.key());
        assertEquals("threshold.memory.low = '0.6' is not valid; expected a value not above the matching high mark"
                + " (0.5)", e.getMessage());
    }
}
