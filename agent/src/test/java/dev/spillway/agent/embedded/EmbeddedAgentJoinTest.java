package dev.spillway.agent.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.ObjectNames;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedAgentJoinTest {

    @Test
    void aTakenPortFailsJoinNamingTheKeyAndLeavesNothingBehind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConfigException e = assertThrows(ConfigException.class, () -> EmbeddedAgent.join(
                    ConfigValues.of(Map.of("jmx.port", String.valueOf(taken.getLocalPort()))), "/shop"));
            assertEquals("jmx.port", e.key());
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
        }
        assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(ObjectNames.agent()));
    }

    @Test
    void aBadSettingFailsJoinNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> EmbeddedAgent.join(ConfigValues.of(Map.of("sample.interval", "fast")), "/shop"));
        assertEquals("sample.interval", e.key());
    }
}
