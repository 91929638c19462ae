package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardSettingsTest {
    @Test
    void defaults() {
        ForwardSettings s = ForwardSettings.defaults();
        assertEquals(250, s.connectTimeoutMillis());
        assertEquals(30_000, s.proxyTimeoutMillis());
        assertEquals(10_000, s.suspectBackoffMillis());
        assertEquals(1_000, s.redirectCheckIntervalMillis());
        assertTrue(s.trustedProxies().isEmpty());
        assertEquals(ForwardSettings.DEFAULT_PROXY_CLIENT, s.proxyClient());
        assertEquals(30_000, s.proxyIdleTimeoutMillis());
        assertEquals(3_600_000, s.proxyMaxDurationMillis());
        assertEquals(java.util.Set.of("connectTimeout", "proxyTimeout", "proxyIdleTimeout", "proxyMaxDuration",
                "suspectBackoff", "redirectCheckInterval", "trustedProxies", "proxyClient", "peerFullHold", "proxyMaxRelays"),
                ForwardSettings.KEYS);
        assertEquals(500, s.peerFullHoldMillis());
    }

    @Test
    void valuesAreRead() {
        ForwardSettings s = ForwardSettings.from(ConfigValues.of(Map.of("connectTimeout", "100ms",
                "proxyTimeout", "5s", "suspectBackoff", "1m", "redirectCheckInterval", "0s",
                "trustedProxies", "10.0.0.0/8, ::1", "proxyClient", "JDK")));
        assertEquals(100, s.connectTimeoutMillis());
        assertEquals(5_000, s.proxyTimeoutMillis());
        assertEquals(60_000, s.suspectBackoffMillis());
        assertEquals(0, s.redirectCheckIntervalMillis(), "0 turns the check off");
        assertTrue(s.trustedProxies().trusts("10.1.2.3"));
        assertFalse(s.trustedProxies().trusts("11.1.2.3"));
        assertEquals(ForwardSettings.ProxyClient.JDK, s.proxyClient());
        assertEquals(ForwardSettings.ProxyClient.JETTY,
                ForwardSettings.from(ConfigValues.of(Map.of("proxyClient", "jetty"))).proxyClient());
    }

    @Test
    void theMaxDurationMustBeLongerThanTheProxyTimeout() {
        ConfigException e = assertThrows(ConfigException.class, () -> ForwardSettings.from(ConfigValues.of(
                Map.of("proxyTimeout", "30s", "proxyMaxDuration", "10s"))));
        assertEquals("proxyMaxDuration", e.key());
        assertTrue(e.getMessage().contains("10000ms") && e.getMessage().contains("proxyTimeout"), e.getMessage());
        ForwardSettings s = ForwardSettings.from(ConfigValues.of(Map.of("proxyIdleTimeout", "5s",
                "proxyMaxDuration", "2h")));
        assertEquals(5_000, s.proxyIdleTimeoutMillis());
        assertEquals(7_200_000, s.proxyMaxDurationMillis());
    }

    @Test
    void anUnknownProxyClientNamesTheKeyAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ForwardSettings.from(ConfigValues.of(Map.of("proxyClient", "netty"))));
        assertEquals("proxyClient", e.key());
        assertTrue(e.getMessage().contains("netty") && e.getMessage().contains("[jdk, jetty]"), e.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndTheValue() {
        for (String[] bad : new String[][] {{"connectTimeout", "250"}, {"connectTimeout", "0ms"},
                {"proxyTimeout", "-1s"}, {"proxyIdleTimeout", "0ms"}, {"proxyIdleTimeout", "2h"},
                {"proxyMaxDuration", "30"}, {"suspectBackoff", "soon"}, {"redirectCheckInterval", "1"}, {"trustedProxies", "proxy.example"}}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ForwardSettings.from(ConfigValues.of(Map.of(bad[0], bad[1]))));
            assertEquals(bad[0], e.key());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
