package dev.spillway.manager.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dns.* settings: off by default, every bad value named with its key and the expected form. */
class DnsSettingsTest {
    static Map<String, String> on() {
        Map<String, String> m = new HashMap<>();
        m.put("dns.listen", "127.0.0.1:5353");
        m.put("dns.zone", "example.com");
        m.put("dns.names", "www.example.com");
        return m;
    }

    static ConfigException refused(Map<String, String> m, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> DnsSettings.from(ConfigValues.of(m),
                List.of("a")));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        return e;
    }

    @Test
    void offUnlessListenIsSetAndTheOtherKeysAloneAreRefused() {
        assertFalse(DnsSettings.from(ConfigValues.empty(), List.of()).enabled());
        refused(Map.of("dns.zone", "example.com"), "dns.zone");
        DnsSettings s = DnsSettings.from(ConfigValues.of(on()), List.of());
        assertTrue(s.enabled());
        assertEquals(5353, s.listenPort());
        assertEquals("ns.example.com.", s.nameServer().toString());
        assertEquals(8, s.maxAnswers());
    }

    @Test
    void badValuesNameTheKeyAndTheExpectedForm() {
        Map<String, String> m = on();
        m.put("dns.listen", "localhost");
        assertTrue(refused(m, "dns.listen").getMessage().contains("host:port"));
        m.put("dns.listen", "127.0.0.1:70000");
        refused(m, "dns.listen");
        m = on();
        m.put("dns.names", "www.other.org");
        assertTrue(refused(m, "dns.names").getMessage().contains("inside dns.zone"));
        m = on();
        m.remove("dns.zone");
        refused(m, "dns.zone");
        m = on();
        m.put("dns.maxAnswers", "0");
        refused(m, "dns.maxAnswers");
        m = on();
        m.put("host.a.address", "web-1.example.com");
        assertTrue(refused(m, "host.a.address").getMessage().contains("address literal"));
    }

    @Test
    void theTtlIsTheIntervalRoundedUpToWholeSeconds() {
        assertEquals(1, DnsSettings.ttlSeconds(50));
        assertEquals(1, DnsSettings.ttlSeconds(1000));
        assertEquals(2, DnsSettings.ttlSeconds(1001));
        assertEquals(5, DnsSettings.ttlSeconds(5000));
    }
}
