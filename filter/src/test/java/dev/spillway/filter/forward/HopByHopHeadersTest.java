package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {
    @Test
    void fixedSetProxyPrefixAndConnectionTokens() {
        HopByHopHeaders h = HopByHopHeaders.of(List.of("close, X-Secret", " keep-alive ,x-other"));
        for (String n : new String[] {"connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
                "proxy-authorization", "proxy-connection", "proxy-anything", "x-secret", "x-other", "close"}) {
            assertTrue(h.contains(n), n);
        }
        for (String n : new String[] {"x-kept", "content-type", "cookie", "via", "authorization"}) {
            assertFalse(h.contains(n), n);
        }
    }
}
