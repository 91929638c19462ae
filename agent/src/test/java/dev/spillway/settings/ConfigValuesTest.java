package dev.spillway.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    @Test
    void durationsNeedAUnitAndARange() {
        ConfigValues c = ConfigValues.of(Map.of("a", "250ms", "b", "10s", "c", "2m", "d", "250", "e", "0ms"));
        assertEquals(250, c.millis("a", 1, 1, 60_000));
        assertEquals(10_000, c.millis("b", 1, 1, 60_000));
        assertEquals(120_000, c.millis("c", 1, 1, 600_000));
        assertEquals(7, c.millis("missing", 7, 1, 10));
        ConfigException bare = assertThrows(ConfigException.class, () -> c.millis("d", 1, 1, 60_000));
        assertEquals("d", bare.key());
        assertTrue(bare.getMessage().contains("'250'") && bare.getMessage().contains("unit"), bare.getMessage());
        assertThrows(ConfigException.class, () -> c.millis("e", 1, 1, 60_000));
        assertThrows(ConfigException.class, () -> c.millis("c", 1, 1, 60_000));
    }

    @Test
    void unknownKeysAreNamed() {
        ConfigValues c = ConfigValues.of(Map.of("allow", "/a/*", "denny", "/admin/*"));
        ConfigException e = assertThrows(ConfigException.class, () -> c.requireOnlyKnown(Set.of("allow", "deny")));
        assertEquals("denny", e.key());
        assertTrue(e.getMessage().contains("denny"));
    }

    @Test
    void numbersBooleansChoicesAndLists() {
        ConfigValues c = ConfigValues.of(Map.of("n", "12", "f", "0.5", "b", "TRUE", "x", "yes", "m", "proxy",
                "l", " a, b  c,,"));
        assertEquals(12, c.integer("n", 0, 0, 100));
        assertThrows(ConfigException.class, () -> c.integer("n", 0, 0, 10));
        assertEquals(0.5, c.decimal("f", 0, 0, 1));
        assertTrue(c.bool("b", false));
        assertThrows(ConfigException.class, () -> c.bool("x", false));
        assertEquals("PROXY", c.choice("m", "LOCAL", List.of("LOCAL", "PROXY")));
        assertEquals(List.of("a", "b", "c"), c.list("l"));
        assertFalse(c.has("nothing"));
    }

    @Test
    void overridesReplaceKeys() {
        ConfigValues file = ConfigValues.of(Map.of("a", "1", "b", "2"));
        ConfigValues merged = file.overriddenBy(ConfigValues.of(Map.of("b", "3")));
        assertEquals("1", merged.string("a", null));
        assertEquals("3", merged.string("b", null));
    }
}
