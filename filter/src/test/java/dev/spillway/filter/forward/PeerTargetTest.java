package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.filter.peers.Peer;
import org.junit.jupiter.api.Test;

class PeerTargetTest {
    private final Peer peer = Peer.parse("b=http://10.0.0.2:8080/shop/");

    @Test
    void targetIsThePeerPlusTheReencodedCheckedPathAndTheRawQuery() {
        assertEquals("http://10.0.0.2:8080/shop/a%20b/%C3%A9/x.html?q=%26v&e=%E2%82%AC",
                PeerTarget.url(peer, "/a b/é/x.html", "q=%26v&e=%E2%82%AC"));
        assertEquals("http://10.0.0.2:8080/shop/", PeerTarget.url(peer, "", null));
    }

    @Test
    void pathCharactersWithMeaningToAContainerAreEncoded() {
        assertEquals("http://10.0.0.2:8080/shop/a%3Bb%25c%3Fd%23e%5Cf", PeerTarget.url(peer, "/a;b%c?d#e\\f", null));
    }

    @Test
    void controlCharactersNeverSurviveRaw() {
        String url = PeerTarget.url(peer, "/a\r\nSet-Cookie: x=1", "q=\r\nX: y&z=%0d%0a&bad=%zz&sp=a b");
        assertEquals("http://10.0.0.2:8080/shop/a%0D%0ASet-Cookie:%20x=1?q=%0D%0AX:%20y&z=%0d%0a&bad=%25zz&sp=a%20b",
                url);
        assertTrue(url.chars().allMatch(c -> c > 0x20 && c < 0x7f));
    }

    @Test
    void aClientSuppliedHopParameterIsDroppedAndOursAppended() {
        assertEquals("http://10.0.0.2:8080/shop/p?a=1&b=2&spillway-hop=TOKEN",
                PeerTarget.urlWithHop(peer, "/p", "spillway-hop=forged&a=1&SPILLWAY-HOP=x&b=2", "TOKEN"));
        assertEquals("http://10.0.0.2:8080/shop/p?spillway-hop=TOKEN", PeerTarget.urlWithHop(peer, "/p", null, "TOKEN"));
    }
}
