package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.settings.ConfigValues;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The proxy's Jetty client runs its request and response path before the first relay, against a loopback answerer
 * of its own, so the first overload does not run it in the interpreter (issue 11; BENCHMARKS.md section 7,
 * "Session 10: proxy mode's first seconds").
 */
class RelayWarmUpTest {

    @Test
    void theJettyClientCompletesEveryWarmUpExchange() {
        JettyUpstream client = JettyUpstream.start(ForwardSettings.from(ConfigValues.empty()));
        try {
            assertEquals(RelayWarmUp.EXCHANGES, client.warmUp(() -> 0));
        } finally {
            client.close();
        }
    }

    @Test
    void aServerWithRequestsWaitingRunsNoWarmUp() {
        JettyUpstream client = JettyUpstream.start(ForwardSettings.from(ConfigValues.empty()));
        try {
            assertEquals(0, client.warmUp(() -> 1));
        } finally {
            client.close();
        }
    }

    @Test
    void theWarmUpStopsAtTheFirstRequestFoundWaiting() {
        JettyUpstream client = JettyUpstream.start(ForwardSettings.from(ConfigValues.empty()));
        AtomicInteger asked = new AtomicInteger();
        try {
            // Idle for the first 100 looks, then one request waits: 100 exchanges are sent, and all of them end.
            assertEquals(100, client.warmUp(() -> asked.incrementAndGet() > 100 ? 1 : 0));
        } finally {
            client.close();
        }
    }

    @Test
    void theJdkClientHasNothingToWarm() {
        try (JdkUpstream client = new JdkUpstream(ForwardSettings.from(ConfigValues.empty()), Runnable::run)) {
            assertEquals(0, client.warmUp(() -> 0));
        }
    }

    @Test
    void theLoopbackResponderAnswersEveryRequestOfAKeptAliveConnection() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (LoopbackResponder responder = LoopbackResponder.start()) {
            for (int i = 1; i <= 5; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(responder.uri("/x?i=" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals("ok", r.body());
                assertEquals(i, responder.answered());
            }
        }
    }

    @Test
    void aClosedClientEndsTheWarmUpWithoutAnException() {
        JettyUpstream client = JettyUpstream.start(ForwardSettings.from(ConfigValues.empty()));
        client.close();
        assertEquals(0, client.warmUp(() -> 0));
    }
}
