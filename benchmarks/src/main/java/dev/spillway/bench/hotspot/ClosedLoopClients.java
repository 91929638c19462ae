package dev.spillway.bench.hotspot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop clients of one URL: each sends its next request when the last one was answered, so together they
 * keep a server saturated and what it serves per second is its capacity (the bench's calibration, the JIT warm-up
 * program, the relay-cost program). Counts 200 answers apart from anything else (other statuses, failures).
 */
final class ClosedLoopClients {
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    /** @param followRedirects whether a 307 is followed (to the peer that then serves the page) */
    ClosedLoopClients(String url, int clients, boolean followRedirects, String name) {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(followRedirects ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
                        (r.statusCode() == 200 ? ok : other).incrementAndGet();
                    } catch (IOException e) {
                        other.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, name + "-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** Pages answered 200 so far. */
    long served() {
        return ok.get();
    }

    /** Answers so far, whatever they were. */
    long answered() {
        return ok.get() + other.get();
    }

    String statuses() {
        return ok.get() + " ok, " + other.get() + " other";
    }

    /** Stops every client after its request in flight (at most its 30 s timeout). */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(35_000);
        }
    }
}
