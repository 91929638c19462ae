package dev.spillway.filter.forward;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Runs the proxy's HTTP client through a few hundred exchanges with a {@link LoopbackResponder} when proxying is
 * first put in force, so its code is loaded and compiled before the first overload needs it. Left cold, the first
 * seconds of an overload ran the client's request and response path in the interpreter on the very server that was
 * short of CPU (issue 11's hotspot benchmark, two hot of four: 65 of an origin's 114 CPU samples in interpreted
 * frames over its first ten seconds of relaying, against 31 of 63, over three seconds, when it redirected). Each
 * exchange makes the calls a relayed request makes: headers in, a head timer, response headers read, the body read
 * chunk by chunk on demand. No peer sees any of it.
 *
 * <p>Only while this server has no backlog: a warm-up is CPU (1–2.5 s of it in the hotspot benchmark's C1-only
 * servers), and run as the server fills up it lands on the very seconds it was meant to spare (every run of the
 * benchmark whose permits came 2–3 s before the overload did worse with it). It stops at the first request found
 * waiting for a worker; the relays then start cold, as without it.
 */
final class RelayWarmUp {
    /** Exchanges run: enough for the client's per-request methods to pass the JIT's compile thresholds. */
    static final int EXCHANGES = 500;
    private static final int AT_ONCE = 4; // a few connections at once, as relays use them
    private static final long GIVE_UP_MILLIS = 10_000;

    private RelayWarmUp() {
    }

    /**
     * Runs the warm-up; returns how many exchanges completed (fewer if the client stopped meanwhile, or requests
     * began to wait for this server's workers: {@code localWaiting} above 0).
     */
    static int run(HttpClient client, int exchanges, IntSupplier localWaiting) {
        AtomicInteger completed = new AtomicInteger();
        try (LoopbackResponder responder = LoopbackResponder.start()) {
            Semaphore slots = new Semaphore(AT_ONCE);
            for (int i = 0; i < exchanges; i++) {
                if (localWaiting.getAsInt() > 0 || !client.isRunning()
                        || !slots.tryAcquire(GIVE_UP_MILLIS, TimeUnit.MILLISECONDS)) {
                    break; // backed up, stopped, or the client hangs: the warm-up is only a help
                }
                send(client, responder, i, () -> {
                    completed.incrementAndGet();
                    slots.release();
                }, slots::release);
            }
            slots.tryAcquire(AT_ONCE, GIVE_UP_MILLIS, TimeUnit.MILLISECONDS); // the last exchanges have ended
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // no loopback socket, or the client was closed: the first relays will run cold, as before
        }
        return completed.get();
    }

    private static void send(HttpClient client, LoopbackResponder responder, int n, Runnable succeeded,
            Runnable failed) {
        Request request = client.newRequest(responder.uri("/spillway-warm-up?n=" + n)).method("GET")
                .version(HttpVersion.HTTP_1_1).idleTimeout(GIVE_UP_MILLIS, TimeUnit.MILLISECONDS);
        HttpFields.Mutable headers = HttpFields.build();
        headers.add("Accept", "text/html");
        headers.add("X-Forwarded-For", "127.0.0.1");
        headers.add("Via", ForwardedHeaders.VIA);
        request.headers(h -> h.add(headers));
        Scheduler.Task timer = client.getScheduler().schedule(() -> request.abort(new UpstreamTimeout(GIVE_UP_MILLIS)),
                GIVE_UP_MILLIS, TimeUnit.MILLISECONDS);
        request.onResponseHeaders(response -> {
            for (HttpField f : response.getHeaders()) {
                f.getName(); // walked as the relay walks them
            }
        }).onResponseContentSource((response, source) -> drain(source));
        request.send(result -> {
            timer.cancel();
            if (result.isSucceeded()) {
                succeeded.run();
            } else {
                failed.run();
            }
        });
    }

    // Reads the body as the relay does: a chunk at a time, asking for more on demand.
    private static void drain(Content.Source source) {
        while (true) {
            Content.Chunk c = source.read();
            if (c == null) {
                source.demand(() -> drain(source));
                return;
            }
            c.release();
            if (c.isLast() || Content.Chunk.isFailure(c)) {
                return;
            }
        }
    }
}
