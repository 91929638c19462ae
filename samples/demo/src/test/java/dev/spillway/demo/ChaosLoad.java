package dev.spillway.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open-loop load of the chaos run. Unlike {@link Load} it records how many times each answer was moved: a
 * {@code 307} followed counts one, and every proxy on the way adds one {@code 1.1 spillway} to the response's
 * {@code Via} (the filter appends its own to the peer's), so a request proxied twice answers with two. It also
 * records when each request (for a cart: its first call) was due and when it ended, so a failure can be laid
 * beside the moments servers were killed.
 */
final class ChaosLoad implements AutoCloseable {
    /** One answered or failed request; {@code hops}: how many times it was moved on its way (0 = served where sent). */
    record Result(String hit, Load.Kind kind, long dueNanos, long endNanos, int status, String servedBy, int hops,
            String error) {
        boolean moved() {
            return hops > 0 || (servedBy != null && !servedBy.equals(hit));
        }
    }

    /**
     * Slow is not lost: while the chaos leaves a without peers or manager, its queue grows (more so on a busy
     * machine), and a request that waits there long is still answered. The bound is far above the filter's own
     * proxyTimeout (30 s), so a peer that never answers shows as a 504 from a, not as a client timeout.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String VIA_MARK = "spillway";

    private final Map<String, String> baseUrls;
    private final ExecutorService callbacks = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "chaos-load-http");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).executor(callbacks)
            .build();
    private final List<Result> results = new ArrayList<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean running;
    private Thread scheduler;

    ChaosLoad(Map<String, String> baseUrls) {
        this.baseUrls = Map.copyOf(baseUrls);
    }

    synchronized void start(List<Load.Stream> streams) {
        running = true;
        scheduler = new Thread(() -> schedule(List.copyOf(streams)), "chaos-load");
        scheduler.setDaemon(true);
        scheduler.start();
    }

    synchronized void stop() throws InterruptedException {
        running = false;
        if (scheduler != null) {
            scheduler.join();
            scheduler = null;
        }
    }

    boolean awaitIdle(long maxMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMillis;
        while (outstanding.get() > 0) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    List<Result> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    int resultCount() {
        synchronized (results) {
            return results.size();
        }
    }

    private void schedule(List<Load.Stream> streams) {
        long t0 = System.nanoTime();
        long[] sent = new long[streams.size()];
        while (running) {
            long now = System.nanoTime();
            for (int i = 0; i < streams.size(); i++) {
                Load.Stream s = streams.get(i);
                long due = (long) ((now - t0) / 1e9 * s.perSecond()) + 1;
                while (sent[i] < due) {
                    long dueAt = t0 + (long) (sent[i] * 1e9 / s.perSecond());
                    sent[i]++;
                    switch (s.kind()) {
                        case PAGE -> page(s, dueAt);
                        case ADMIN -> admin(s, dueAt);
                        case CART -> cartStep(s, 1, null, dueAt);
                    }
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private CompletableFuture<HttpResponse<String>> get(String url, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String url(Load.Stream s) {
        return baseUrls.get(s.server())
                + s.path().replace("{n}", String.valueOf(ThreadLocalRandom.current().nextInt(1, 1000)));
    }

    /** A stateless page: one 307 is followed (one hop); a 307 from the peer it was sent on to is a second move. */
    private void page(Load.Stream s, long dueAt) {
        outstanding.incrementAndGet();
        get(url(s), null).thenCompose(first -> {
            var location = first.headers().firstValue("Location");
            if (first.statusCode() != 307 || location.isEmpty()) {
                return CompletableFuture.completedFuture(new Answer(first, 0));
            }
            return get(location.get(), null).thenApply(r -> new Answer(r, 1));
        }).whenComplete((a, failure) -> {
            if (failure != null) {
                record(new Result(s.server(), s.kind(), dueAt, System.nanoTime(), 0, null, 0, describe(failure)));
            } else {
                int st = a.response().statusCode();
                int hops = a.redirects() + viaHops(a.response()) + (st == 307 ? 1 : 0);
                record(new Result(s.server(), s.kind(), dueAt, System.nanoTime(), st, servedBy(a.response()), hops,
                        st == 200 ? null : "status " + st));
            }
            outstanding.decrementAndGet();
        });
    }

    private record Answer(HttpResponse<String> response, int redirects) {
    }

    /** A denied page: must be served by the server it was sent to. */
    private void admin(Load.Stream s, long dueAt) {
        outstanding.incrementAndGet();
        get(url(s), null).whenComplete((r, failure) -> {
            if (failure != null) {
                record(new Result(s.server(), s.kind(), dueAt, System.nanoTime(), 0, null, 0, describe(failure)));
            } else {
                record(new Result(s.server(), s.kind(), dueAt, System.nanoTime(), r.statusCode(), servedBy(r),
                        viaHops(r) + (r.statusCode() == 307 ? 1 : 0),
                        r.statusCode() == 200 ? null : "status " + r.statusCode()));
            }
            outstanding.decrementAndGet();
        });
    }

    /**
     * Call {@code n} (1..3) of a cart: the count must be n, from the server it was sent to. {@code cartDue} is when
     * the cart's first call was due: a server that died since then took the session with it.
     */
    private void cartStep(Load.Stream s, int n, String cookie, long cartDue) {
        outstanding.incrementAndGet();
        get(baseUrls.get(s.server()) + s.path(), cookie).whenComplete((r, failure) -> {
            String next = cookie;
            boolean ok = false;
            if (failure != null) {
                record(new Result(s.server(), s.kind(), cartDue, System.nanoTime(), 0, null, 0, describe(failure)));
            } else {
                String error = r.statusCode() != 200 ? "status " + r.statusCode()
                        : !r.body().contains("cart " + n + " items") ? "session lost at call " + n : null;
                ok = error == null;
                if (next == null) {
                    next = r.headers().firstValue("Set-Cookie").map(c -> c.split(";", 2)[0]).orElse(null);
                }
                record(new Result(s.server(), s.kind(), cartDue, System.nanoTime(), r.statusCode(), servedBy(r),
                        viaHops(r) + (r.statusCode() == 307 ? 1 : 0), error));
            }
            outstanding.decrementAndGet();
            if (ok && n < 3 && running) {
                cartStep(s, n + 1, next, cartDue);
            }
        });
    }

    /** How many Spillway proxies the answer passed: one {@code 1.1 spillway} entry in Via each. */
    static int viaHops(HttpResponse<?> r) {
        int hops = 0;
        for (String header : r.headers().allValues("Via")) {
            for (String entry : header.split(",")) {
                if (entry.trim().endsWith(VIA_MARK)) {
                    hops++;
                }
            }
        }
        return hops;
    }

    private static String servedBy(HttpResponse<?> r) {
        return r.headers().firstValue("X-Served-By").orElse(null);
    }

    private static String describe(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    private void record(Result r) {
        synchronized (results) {
            results.add(r);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        callbacks.shutdownNow();
    }
}
