package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** Fires concurrent held requests at a server and watches the probe while they are in the container. */
final class LoadDriver {
    /**
     * What the probe showed during one burst, each figure the largest read while the burst lasted.
     * {@code backedUp}: the live queue length reached the mark the burst waited for.
     */
    record Observed(boolean backedUp, int maxLiveQueueLength, int maxQueueLengthMax, long queueDelayMaxMillis,
            long queueDelayMillis, String queueSource, String queueDelaySource) {
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
        HttpResponse<String> r = client.send(request("sleep=" + sleepMillis).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    }

    /**
     * Sends {@code concurrent} requests that hold their workers until released; releases them {@code holdMillis}
     * after the probe's live queue length first reached {@code backedUpAt} (or after {@link Await#PATIENCE_MILLIS}
     * if it never does), so every request that waited for a worker then waited at least that long, however slow
     * the machine is. The figures are read all along, the largest kept: a recent maximum read only at the end
     * could have left its window on a slow machine.
     *
     * @param stampRequestStart send X-Request-Start with the client's send time, as a front proxy would
     */
    Observed burst(int concurrent, int backedUpAt, long holdMillis, boolean stampRequestStart) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        SleepingServlet.GATE.set(gate);
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        LoadProbe probe = ProbingFilter.PROBE.get();
        int maxLive = 0;
        int maxSampled = 0;
        long maxDelayMax = -1;
        long maxDelay = -1;
        long backedUpSince = -1;
        try {
            for (int i = 0; i < concurrent; i++) {
                HttpRequest.Builder b = request("gate=1");
                if (stampRequestStart) {
                    b.header("X-Request-Start", "t=" + System.currentTimeMillis() * 1000);
                }
                all.add(client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()));
            }
            long giveUp = System.nanoTime() + Await.PATIENCE_MILLIS * 1_000_000L;
            CompletableFuture<Void> done = CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
            while (!done.isDone()) {
                long now = System.nanoTime();
                int live = probe.queueLength();
                maxLive = Math.max(maxLive, live);
                maxSampled = Math.max(maxSampled, probe.queueLengthMax());
                maxDelayMax = Math.max(maxDelayMax, probe.queueDelayMaxMillis());
                maxDelay = Math.max(maxDelay, probe.queueDelayMillis());
                if (backedUpSince < 0 && live >= backedUpAt) {
                    backedUpSince = now;
                }
                boolean held = backedUpSince >= 0 && now - backedUpSince >= holdMillis * 1_000_000L;
                if (held || now - giveUp >= 0) {
                    gate.countDown();
                }
                Thread.sleep(5);
            }
        } finally {
            gate.countDown();
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            assertEquals(200, f.get().statusCode());
        }
        return new Observed(backedUpSince >= 0, maxLive, maxSampled, maxDelayMax, maxDelay, probe.queueSource(),
                probe.queueDelaySource());
    }

    private HttpRequest.Builder request(String query) {
        return HttpRequest.newBuilder(URI.create(base + "?" + query))
                .timeout(Duration.ofSeconds(90))
                .GET();
    }
}
