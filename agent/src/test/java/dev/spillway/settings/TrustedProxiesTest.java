package dev.spillway.settings;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void matchesCidrBlocksAndSingleAddresses() {
        TrustedProxies t = TrustedProxies.parse("trustedProxies", List.of("10.1.0.0/16", "127.0.0.1", "fd00::/8"));
        assertTrue(t.trusts("10.1.200.3"));
        assertFalse(t.trusts("10.2.0.1"));
        assertTrue(t.trusts("127.0.0.1"));
        assertFalse(t.trusts("127.0.0.2"));
        assertTrue(t.trusts("fd12::1"));
        assertTrue(t.trusts("[fd12::1]"));
        assertFalse(t.trusts("fe80::1"));
    }

    @Test
    void neverResolvesNamesAndRejectsJunk() {
        TrustedProxies t = TrustedProxies.parse("k", List.of("0.0.0.0/0"));
        assertFalse(t.trusts("localhost"));
        assertFalse(t.trusts(""));
        assertFalse(t.trusts(null));
        assertThrows(ConfigException.class, () -> TrustedProxies.parse("k", List.of("proxy.example")));
        assertThrows(ConfigException.class, () -> TrustedProxies.parse("k", List.of("10.0.0.0/33")));
        assertThrows(ConfigException.class, () -> TrustedProxies.parse("k", List.of("10.0.0.0/x")));
        assertFalse(TrustedProxies.NONE.trusts("127.0.0.1"));
    }
}
