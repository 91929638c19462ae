package dev.spillway.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded agent's settings as the filter's configuration writes them: with the {@code agent.} prefix. */
class AgentConfigTest {
    @Test
    void everyAgentKeyIsKnownWithThePrefix() {
        assertTrue(AgentConfig.keys().contains("agent"));
        assertTrue(AgentConfig.keys().contains("agent.jmx.port"));
        assertTrue(AgentConfig.keys().contains("agent.surge.check-interval"));
        assertTrue(!AgentConfig.keys().contains("jmx.port") && !AgentConfig.keys().contains("agent.<key>"));
    }

    @Test
    void aBadAgentSettingIsNamedWithThePrefixAndKeepsTheAgentsError() {
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.join(ConfigValues.of(Map.of(
                "agent", "embedded", "agent.jmx.port", "ninety")), "/shop"));
        assertEquals("agent.jmx.port", e.key());
        assertEquals("agent.jmx.port = 'ninety' is not valid; expected a whole number from 0 to 65535",
                e.getMessage());
        assertTrue(e.getCause() instanceof ConfigException c && c.key().equals("jmx.port"), "cause: " + e.getCause());
        ConfigException mode = assertThrows(ConfigException.class,
                () -> AgentConfig.join(ConfigValues.of(Map.of("agent", "inside")), "/shop"));
        assertEquals("agent", mode.key());
        assertNull(AgentConfig.join(ConfigValues.empty(), "/shop"), "off by default");
        assertSame(null, AgentConfig.join(ConfigValues.of(Map.of("agent", "OFF")), "/shop"));
    }
}
