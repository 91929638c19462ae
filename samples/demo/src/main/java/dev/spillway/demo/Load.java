package dev.spillway.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-loop load: each stream sends at a constant rate whatever the answers do, so a slow server builds a queue
 * as it would under real users (a closed loop would slow down with it and hide the queue). Latency is counted from
 * the moment a request was due, not from when it was sent.
 *
 * <p>No redirect is followed blindly: a {@code 307} from the server a request was sent to is followed once, by hand,
 * so every answer says where the request was sent ({@code hit}) and who served it ({@code X-Served-By}). Cart and
 * admin requests follow nothing: a 307 there is itself a wrong move. A cart is a session of three
 * {@code /cart/add} calls in a row with its cookie; the answers must count 1, 2, 3 on the server it was sent to.
 */
public final class Load implements AutoCloseable {
    public enum Kind { PAGE, CART, ADMIN }

    /**
     * Every request this load sends carries a number of its own in this header ({@link Result#id()}), so a server
     * side record ({@link ArrivalLog}) can be matched with what the client saw.
     */
    public static final String ID_HEADER = "X-Load-Id";

    /** A stream of requests at {@code perSecond} to {@code server}; for CART one per second is one cart (3 calls). */
    public record Stream(String server, Kind kind, String path, double perSecond) {
    }

    /**
     * One answered (or failed) request. {@code moved}: served by another host than the one it was sent to.
     * {@code error}: null when all was as expected. {@code step}: for a cart call, which of its three (1..3), else 0.
     */
    public record Result(String phase, String hit, Kind kind, int step, long dueNanos, long latencyNanos, int status,
            String servedBy, boolean redirected, String error, long firstAnswerNanos, long id) {
        /** {@code firstAnswerNanos}: from the due time to the first response (the 307 of a redirected page). */
        public Result(String phase, String hit, Kind kind, int step, long dueNanos, long latencyNanos, int status,
                String servedBy, boolean redirected, String error, long firstAnswerNanos) {
            this(phase, hit, kind, step, dueNanos, latencyNanos, status, servedBy, redirected, error, firstAnswerNanos,
                    -1);
        }

        public Result(String phase, String hit, Kind kind, int step, long dueNanos, long latencyNanos, int status,
                String servedBy, boolean redirected, String error) {
            this(phase, hit, kind, step, dueNanos, latencyNanos, status, servedBy, redirected, error, latencyNanos);
        }

        public boolean moved() {
            return servedBy != null && !servedBy.equals(hit);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> baseUrls;
    private final ExecutorService callbacks = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "load-http");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).executor(callbacks)
            .build();
    private final List<Result> results = new ArrayList<>();
    private final Map<String, AtomicLong> sentTo = new ConcurrentHashMap<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private volatile Thread scheduler;
    private volatile boolean running;

    /** @param baseUrls server id → base URL of the webapp, e.g. a → http://127.0.0.1:8081/shop */
    public Load(Map<String, String> baseUrls) {
        this.baseUrls = Map.copyOf(baseUrls);
        for (String id : baseUrls.keySet()) {
            sentTo.put(id, new AtomicLong());
        }
    }

    /** Starts sending {@code streams}, recording results under {@code phase} (null: send but do not record). */
    public synchronized void start(String phase, List<Stream> streams) {
        if (running) {
            throw new IllegalStateException("already running");
        }
        running = true;
        Thread t = new Thread(() -> schedule(phase, List.copyOf(streams)), "load-scheduler");
        t.setDaemon(true);
        scheduler = t;
        t.start();
    }

    /** Stops sending; requests under way still complete and are recorded. */
    public synchronized void stop() throws InterruptedException {
        running = false;
        if (scheduler != null) {
            scheduler.join();
            scheduler = null;
        }
    }

    /** Waits (at most {@code maxMillis}) until every request sent has been answered or has failed. */
    public boolean awaitIdle(long maxMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMillis;
        while (outstanding.get() > 0) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    public int outstanding() {
        return outstanding.get();
    }

    /** Requests sent to {@code server} so far (cart calls count one each). */
    public long sentTo(String server) {
        return sentTo.get(server).get();
    }

    /** Every result recorded so far, in order of completion. */
    public List<Result> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** Results recorded from index {@code from} on (for per-second figures). */
    public List<Result> resultsSince(int from) {
        synchronized (results) {
            return List.copyOf(results.subList(Math.min(from, results.size()), results.size()));
        }
    }

    public int resultCount() {
        synchronized (results) {
            return results.size();
        }
    }

    private void schedule(String phase, List<Stream> streams) {
        long t0 = System.nanoTime();
        long[] sent = new long[streams.size()];
        while (running) {
            long now = System.nanoTime();
            for (int i = 0; i < streams.size(); i++) {
                Stream s = streams.get(i);
                // Request k (from 0) is due at t0 + k / rate: k + 1 of them are due once that moment has come.
                long due = (long) ((now - t0) / 1e9 * s.perSecond()) + 1;
                while (sent[i] < due) {
                    long dueAt = t0 + (long) (sent[i] * 1e9 / s.perSecond());
                    sent[i]++;
                    fire(phase, s, dueAt);
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void fire(String phase, Stream s, long dueAt) {
        switch (s.kind()) {
            case PAGE -> page(phase, s, dueAt);
            case ADMIN -> admin(phase, s, dueAt);
            case CART -> cartStep(phase, s, 1, null, System.nanoTime());
        }
    }

    private String url(Stream s) {
        String path = s.path().replace("{n}", String.valueOf(ThreadLocalRandom.current().nextInt(1, 1000)));
        return baseUrls.get(s.server()) + path;
    }

    private CompletableFuture<HttpResponse<String>> get(String server, String url, String cookie, long id) {
        sentTo.get(server).incrementAndGet();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET()
                .header(ID_HEADER, Long.toString(id));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A stateless page: a 307 to a peer is followed once; the peer must serve it (a second 307 is an error). */
    private void page(String phase, Stream s, long dueAt) {
        outstanding.incrementAndGet();
        long id = ids.incrementAndGet();
        get(s.server(), url(s), null, id).thenCompose(first -> {
            long firstAt = System.nanoTime() - dueAt;
            if (first.statusCode() != 307) {
                return CompletableFuture.completedFuture(new Hop(first, false, firstAt));
            }
            Optional<String> location = first.headers().firstValue("Location");
            if (location.isEmpty()) {
                return CompletableFuture.completedFuture(new Hop(first, false, firstAt));
            }
            HttpRequest again = HttpRequest.newBuilder(URI.create(location.get())).timeout(TIMEOUT).GET().build();
            return http.sendAsync(again, HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Hop(r, true, firstAt));
        }).whenComplete((hop, failure) -> {
            long latency = System.nanoTime() - dueAt;
            if (failure != null) {
                record(new Result(phase, s.server(), s.kind(), 0, dueAt, latency, 0, null, false, describe(failure),
                        latency, id));
            } else {
                int st = hop.response().statusCode();
                String error = st == 200 ? null
                        : st == 307 ? "moved twice (307 from the peer)" : "status " + st;
                record(new Result(phase, s.server(), s.kind(), 0, dueAt, latency, st, servedBy(hop.response()),
                        hop.redirected(), error, hop.firstAnswerNanos(), id));
            }
            outstanding.decrementAndGet();
        });
    }

    /** {@code firstAnswerNanos}: from the due time to the first response (for a redirected page, its 307). */
    private record Hop(HttpResponse<String> response, boolean redirected, long firstAnswerNanos) {
    }

    /** A denied page: must be answered 200 by the server it was sent to. */
    private void admin(String phase, Stream s, long dueAt) {
        outstanding.incrementAndGet();
        get(s.server(), url(s), null, ids.incrementAndGet()).whenComplete((r, failure) -> {
            long latency = System.nanoTime() - dueAt;
            if (failure != null) {
                record(new Result(phase, s.server(), s.kind(), 0, dueAt, latency, 0, null, false, describe(failure)));
            } else {
                String by = servedBy(r);
                String error = r.statusCode() != 200 ? "status " + r.statusCode()
                        : !s.server().equals(by) ? "served by " + by : null;
                record(new Result(phase, s.server(), s.kind(), 0, dueAt, latency, r.statusCode(),
                        r.statusCode() == 307 ? "(307)" : by, r.statusCode() == 307, error));
            }
            outstanding.decrementAndGet();
        });
    }

    /** Step {@code n} (1..3) of a cart: adds an item and expects the count n from the same server. */
    private void cartStep(String phase, Stream s, int n, String cookie, long dueAt) {
        outstanding.incrementAndGet();
        get(s.server(), baseUrls.get(s.server()) + s.path(), cookie, ids.incrementAndGet()).whenComplete((r, failure) -> {
            long latency = System.nanoTime() - dueAt;
            String next = cookie;
            boolean ok = false;
            if (failure != null) {
                record(new Result(phase, s.server(), s.kind(), n, dueAt, latency, 0, null, false, describe(failure)));
            } else {
                String by = servedBy(r);
                String error;
                if (r.statusCode() != 200) {
                    error = "status " + r.statusCode();
                } else if (!s.server().equals(by)) {
                    error = "cart served by " + by;
                } else if (!r.body().contains("cart " + n + " items")) {
                    error = "session lost: expected cart " + n + " items, got " + r.body().replace('\n', ' ');
                } else {
                    error = null;
                    ok = true;
                }
                if (next == null) {
                    next = r.headers().firstValue("Set-Cookie").map(c -> c.split(";", 2)[0]).orElse(null);
                }
                record(new Result(phase, s.server(), s.kind(), n, dueAt, latency, r.statusCode(),
                        r.statusCode() == 307 ? "(307)" : by, r.statusCode() == 307, error));
            }
            outstanding.decrementAndGet();
            if (ok && n < 3 && running) {
                cartStep(phase, s, n + 1, next, System.nanoTime());
            }
        });
    }

    private static String servedBy(HttpResponse<?> r) {
        return r.headers().firstValue("X-Served-By").orElse(null);
    }

    private static String describe(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    private void record(Result r) {
        if (r.phase() == null) {
            return;
        }
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
