package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import dev.spillway.settings.ConfigValues;
import dev.spillway.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's proxy that ran out of heap: a peer that stops answering while this server proxies many requests. The
 * relays waiting for it stay at {@code proxyMaxRelays}; every request beyond them is served here at once (not sent
 * to the peer, not failed), and once the peer's connections close the waiting ones are served here too: none lost,
 * none served twice, and the slots come back. Subclasses pick the container and the proxy's HTTP client.
 */
abstract class RelayLimitContract {
    private static final int MAX_RELAYS = 3;
    private static final int BEYOND = 5;

    abstract TestServers.Container container();

    abstract ForwardSettings.ProxyClient proxyClient();

    @Test
    void aSilentPeerHoldsNoMoreThanTheBoundAndTheRestIsServedHere() throws Exception {
        HopMarker marker = new HopMarker("a-shared-secret-of-the-farm".getBytes(StandardCharsets.UTF_8), 30_000,
                System::currentTimeMillis);
        SpillwayTestFilter filter = new SpillwayTestFilter(marker);
        OriginServlet origin = new OriginServlet("A");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (SilentPeer silent = new SilentPeer();
                TestServers.Running a = TestServers.start(container(), origin, filter)) {
            Peer peer = Peer.parse("b=" + silent.url());
            // proxyTimeout far beyond the test, so only the peer's connections closing can end the waiting relays.
            Forwarding forwarding = Forwarding.create(ForwardSettings.from(ConfigValues.of(Map.of(
                    ForwardSettings.PROXY_CLIENT, proxyClient().name().toLowerCase(java.util.Locale.ROOT),
                    ForwardSettings.PROXY_MAX_RELAYS, Integer.toString(MAX_RELAYS),
                    ForwardSettings.PROXY_TIMEOUT, "10m"))), marker, List.of(peer));
            try {
                filter.moveTo(forwarding, forwarding.proxy(), peer, Set.of("GET"));
                List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
                for (int i = 0; i < MAX_RELAYS; i++) {
                    waiting.add(client.sendAsync(get(a, "/waiting/" + i), HttpResponse.BodyHandlers.ofString()));
                }
                Await.until("the silent peer received " + MAX_RELAYS + " proxied requests (has "
                        + silent.requestHeads() + ")", () -> silent.requestHeads() == MAX_RELAYS);
                assertEquals(MAX_RELAYS, forwarding.relaysInFlight(peer));

                // Beyond the bound: each answered here, without waiting for the peer and without a fallback.
                for (int i = 0; i < BEYOND; i++) {
                    CompletableFuture<HttpResponse<String>> r = client.sendAsync(get(a, "/beyond/" + i),
                            HttpResponse.BodyHandlers.ofString());
                    Await.until("request " + i + " beyond the bound answered", r::isDone);
                    assertEquals(200, r.join().statusCode());
                    assertEquals("A", r.join().headers().firstValue("X-Served-By").orElse(null));
                }
                assertEquals(0, filter.fallbackDispatches.get(), "the requests beyond the bound were never relayed");
                assertEquals(MAX_RELAYS, silent.requestHeads(), "the peer got no request beyond the bound");
                assertEquals(MAX_RELAYS, forwarding.relaysInFlight(peer));
                assertEquals(waiting.size(), waiting.stream().filter(f -> !f.isDone()).count(),
                        "the relays still wait for the silent peer");

                // The peer's connections close (it died): the waiting GETs are served here, once each.
                silent.close();
                for (CompletableFuture<HttpResponse<String>> r : waiting) {
                    Await.until("a waiting relay answered after the peer closed", r::isDone);
                    assertEquals(200, r.join().statusCode());
                    assertEquals("A", r.join().headers().firstValue("X-Served-By").orElse(null));
                }
                assertEquals(MAX_RELAYS + BEYOND, origin.hits.get(), "each request served exactly once, here");
                Await.until("every relay slot given back", () -> forwarding.relaysInFlight(peer) == 0);
            } finally {
                forwarding.close();
            }
        }
    }

    private static HttpRequest get(TestServers.Running server, String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).build();
    }
}
