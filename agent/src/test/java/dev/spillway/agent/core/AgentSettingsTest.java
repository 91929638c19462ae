package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    private static ConfigException bad(String key, String value) {
        return assertThrows(ConfigException.class, () -> AgentSettings.from(ConfigValues.of(Map.of(key, value))));
    }

    @Test
    void defaults() {
        AgentSettings s = AgentSettings.from(ConfigValues.empty());
        assertEquals(1_000, s.sampleInterval().toMillis());
        assertEquals(9010, s.jmx().port());
        assertTrue(s.jmx().bindAddress().isLoopbackAddress());
        assertEquals("", s.managerUrl());
        assertEquals(30_000, s.registerInterval().toMillis());
        assertEquals(250, s.surgeCheckInterval().toMillis());
        assertEquals(0, AgentSettings.from(ConfigValues.of(Map.of("surge.check-interval", "0ms")))
                .surgeCheckInterval().toMillis(), "0ms turns the quick check off");
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("sample.interval", bad("sample.interval", "1000").key());
        assertEquals("jmx.port", bad("jmx.port", "70000").key());
        assertEquals("health.url", bad("health.url", "ftp://x/").key());
        assertEquals("manager.url", bad("manager.url", "rmi://x").key());
        assertEquals("watch", bad("watch", "127.0.0.1:9011").key());
        assertEquals("host.id", bad("host.id", "a b").key());
        assertEquals("jmx.password.file", bad("jmx.host", "0.0.0.0").key());
        assertEquals("jmx.tls.keystore", bad("jmx.tls", "true").key());
        assertEquals("jmx.prot", bad("jmx.prot", "1").key());
        ConfigException tooOften = bad("surge.check-interval", "10ms");
        assertEquals("surge.check-interval", tooOften.key());
        assertTrue(tooOften.getMessage().contains("0ms (off) or a duration from 50ms to 60s"), tooOften.getMessage());
    }
}
