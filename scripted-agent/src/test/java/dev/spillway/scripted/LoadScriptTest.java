package dev.spillway.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.agent.contract.HostLoad;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadScriptTest {

    private static HostLoad at(LoadScript s, long millis) {
        HostLoad.Builder b = HostLoad.builder("h");
        LoadScript.apply(s.figuresAt(millis), b);
        return b.build();
    }

    @Test
    void stepsCarryFiguresForwardAndRepeat() {
        LoadScript s = LoadScript.parse(List.of(
                "# a comment",
                "0s queueLength=1 systemCpu=0.2",
                "10s queueLength=80 healthUp=false",
                "20 systemCpu=unknown",
                "repeat 30s"), "test");
        assertEquals(1, at(s, 0).getQueueLength());
        assertEquals(0.2, at(s, 9_999).getSystemCpu());
        HostLoad hot = at(s, 10_000);
        assertEquals(80, hot.getQueueLength());
        assertEquals(0.2, hot.getSystemCpu(), "carried over from the first step");
        assertFalse(hot.isHealthUp());
        assertTrue(Double.isNaN(at(s, 25_000).getSystemCpu()));
        assertEquals(1, at(s, 31_000).getQueueLength(), "starts over after 30 s");
        assertTrue(Double.isNaN(at(s, 0).getQueueDelayMillis()), "unscripted figures stay unknown");
    }

    @Test
    void badLinesAreNamed() {
        ConfigException name = assertThrows(ConfigException.class,
                () -> LoadScript.parse(List.of("0s queueLenght=1"), "script.file"));
        assertTrue(name.getMessage().contains("line 1") && name.getMessage().contains("queueLenght"),
                name.getMessage());
        ConfigException value = assertThrows(ConfigException.class,
                () -> LoadScript.parse(List.of("0s cpu=1", ""), "script.file"));
        assertTrue(value.getMessage().contains("line 1"), value.getMessage());
        ConfigException fraction = assertThrows(ConfigException.class,
                () -> LoadScript.parse(List.of("0s", "5s systemCpu=1.5"), "script.file"));
        assertTrue(fraction.getMessage().contains("line 2") && fraction.getMessage().contains("0 to 1"),
                fraction.getMessage());
        assertThrows(ConfigException.class, () -> LoadScript.parse(List.of("5s", "1s"), "s"));
        assertThrows(ConfigException.class, () -> LoadScript.parse(List.of("5s", "repeat 2s"), "s"));
        assertThrows(ConfigException.class, () -> LoadScript.parse(List.of("# nothing"), "s"));
    }

    @Test
    void everyFigureNameIsSettable() {
        for (String f : LoadScript.FIGURES) {
            String v = f.endsWith("Up") ? "true" : "1";
            LoadScript.apply(Map.of(f, v), HostLoad.builder("h"));
        }
    }
}
