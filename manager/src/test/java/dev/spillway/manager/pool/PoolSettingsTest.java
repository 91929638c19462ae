package dev.spillway.manager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pool's settings: off by default, and every bad value named with its key. */
class PoolSettingsTest {
    @Test
    void offWithoutSparesAndHooksAreArgvWithoutAShell() {
        assertFalse(PoolSettings.from(ConfigValues.empty()).enabled());
        PoolSettings p = PoolSettings.from(ConfigValues.of(Map.of("pool.spares", "s1, s2", "pool.file", "/tmp/x",
                "pool.allocate.command", "  /bin/hook  'allocate;rm'  $HOME ")));
        assertTrue(p.enabled());
        assertEquals(List.of("s1", "s2"), p.spares());
        assertEquals(Path.of("/tmp/x"), p.file());
        assertEquals(List.of("/bin/hook", "'allocate;rm'", "$HOME"), p.allocateCommand(), "passed as written");
        assertEquals(List.of(), p.releaseCommand());
    }

    @Test
    void aFileAloneTurnsThePoolOnForHostsThatRegisterAsSpares() {
        PoolSettings p = PoolSettings.from(ConfigValues.of(Map.of("pool.file", "/tmp/x")));
        assertTrue(p.enabled());
        assertEquals(List.of(), p.spares());
    }

    @Test
    void badValuesNameTheirKey() {
        record Case(Map<String, String> values, String key) {
        }
        for (Case c : List.of(
                new Case(Map.of("pool.spares", "s1"), "pool.file"),
                new Case(Map.of("pool.spares", "s1,s1", "pool.file", "/tmp/x"), "pool.spares"),
                new Case(Map.of("pool.spares", "s/1", "pool.file", "/tmp/x"), "pool.spares"),
                new Case(Map.of("pool.allocate.below", "2"), "pool.allocate.below"),
                new Case(Map.of("pool.coolDown", "60"), "pool.coolDown"),
                new Case(Map.of("pool.minMembers", "0"), "pool.minMembers"),
                new Case(Map.of("pool.hook.attempts", "0"), "pool.hook.attempts"),
                new Case(Map.of("pool.allocate.url", "file:///etc/passwd"), "pool.allocate.url"),
                new Case(Map.of("pool.release.url", "ftp://provisioner/pool"), "pool.release.url"),
                new Case(Map.of("pool.release.url", "http://user:pw@provisioner/pool"), "pool.release.url"),
                new Case(Map.of("pool.allocate.url", "provisioner:8080/pool"), "pool.allocate.url"))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> PoolSettings.from(ConfigValues.of(c.values())), c.values().toString());
            assertEquals(c.key(), e.key(), c.values() + ": " + e.getMessage());
        }
    }
}
