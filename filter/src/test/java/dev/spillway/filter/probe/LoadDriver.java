package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Fires concurrent slow requests at a server and watches the probe while they are in the container. */
final class LoadDriver {
    /** What the probe showed during and right after one burst. */
    record Observed(int maxLiveQueueLength, int maxQueueLengthMax, long queueDelayMaxMillis, long queueDelayMillis,
            String queueSource, String queueDelaySource) {
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String base;

    LoadDriver(int port) {
        this.base = "http://127.0.0.1:" + port + "/app/slow";
    }

    void get(long sleepMillis) throws Exception {
        HttpResponse<String> r = client.send(request(sleepMillis).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    }

    /** @param stampRequestStart send X-Request-Start with the client's send time, as a front proxy would */
    Observed burst(int concurrent, long sleepMillis, boolean stampRequestStart) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            HttpRequest.Builder b = request(sleepMillis);
            if (stampRequestStart) {
                b.header("X-Request-Start", "t=" + System.currentTimeMillis() * 1000);
            }
            all.add(client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()));
        }
        LoadProbe probe = ProbingFilter.PROBE.get();
        int maxLive = 0;
        int maxSampled = 0;
        CompletableFuture<Void> done = CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
        while (!done.isDone()) {
            maxLive = Math.max(maxLive, probe.queueLength());
            maxSampled = Math.max(maxSampled, probe.queueLengthMax());
            Thread.sleep(5);
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            assertEquals(200, f.get().statusCode());
        }
        return new Observed(maxLive, maxSampled, probe.queueDelayMaxMillis(), probe.queueDelayMillis(),
                probe.queueSource(), probe.queueDelaySource());
    }

    private HttpRequest.Builder request(long sleepMillis) {
        return HttpRequest.newBuilder(URI.create(base + "?sleep=" + sleepMillis))
                .timeout(Duration.ofSeconds(60))
                .GET();
    }
}
