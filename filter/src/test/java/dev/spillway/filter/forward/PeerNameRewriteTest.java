package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.filter.peers.Peer;
import org.junit.jupiter.api.Test;

class PeerNameRewriteTest {
    private final PeerNameRewrite root = new PeerNameRewrite(Peer.parse("b=http://10.0.0.2:8080"), "https",
            "shop.example", "");
    private final PeerNameRewrite shop = new PeerNameRewrite(Peer.parse("b=http://10.0.0.2:8080/internal"), "https",
            "shop.example:8443", "/shop");

    @Test
    void absoluteLocationsNamingThePeerNameWhatTheClientUsed() {
        assertEquals("https://shop.example/cart?x=1#f", root.url("http://10.0.0.2:8080/cart?x=1#f"));
        assertEquals("https://shop.example/", root.url("http://10.0.0.2:8080"));
        assertEquals("https://shop.example/?q", root.url("HTTP://10.0.0.2:8080?q"));
        assertEquals("//shop.example/a", root.url("//10.0.0.2:8080/a"));
        assertEquals("https://shop.example:8443/shop/cart", shop.url("http://10.0.0.2:8080/internal/cart"));
        assertEquals("https://shop.example:8443/shop", shop.url("http://10.0.0.2:8080/internal"));
        assertEquals("/shop/next?a=/internal/x", shop.url("/internal/next?a=/internal/x"));
    }

    @Test
    void whatNamesAnotherHostOrPortOrLiesOutsideTheContextIsLeftAlone() {
        assertEquals("http://10.0.0.2:9090/cart", root.url("http://10.0.0.2:9090/cart"));
        assertEquals("http://10.0.0.2/cart", root.url("http://10.0.0.2/cart"));
        assertEquals("https://login.example/x", root.url("https://login.example/x"));
        assertEquals("http://10.0.0.20:8080/x", root.url("http://10.0.0.20:8080/x"));
        assertEquals("/internalx/y", shop.url("/internalx/y"));
        assertEquals("next", shop.url("next"));
        assertEquals("/elsewhere", root.url("/elsewhere"));
    }

    @Test
    void refreshKeepsItsDelayAndQuotes() {
        assertEquals("5; url=https://shop.example/r", root.refresh("5; url=http://10.0.0.2:8080/r"));
        assertEquals("0;URL='https://shop.example:8443/shop/r'", shop.refresh("0;URL='http://10.0.0.2:8080/internal/r'"));
        assertEquals("30", root.refresh("30"));
    }

    @Test
    void cookiesLoseAPeerDomainAndMoveTheirPath() {
        assertEquals("s=1; Path=/; HttpOnly", root.setCookie("s=1; Domain=10.0.0.2; Path=/; HttpOnly"));
        assertEquals("s=1; Path=/shop/cart", shop.setCookie("s=1; domain=.10.0.0.2; Path=/internal/cart"));
        assertEquals("s=1; Path=/shop", shop.setCookie("s=1; Path=/internal"));
        assertEquals("s=a;b; Domain=shop.example; Path=/other", shop.setCookie("s=a;b; Domain=shop.example; Path=/other"));
    }
}
