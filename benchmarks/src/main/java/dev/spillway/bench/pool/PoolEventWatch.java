package dev.spillway.bench.pool;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Follows the manager's {@code /api/stream} on a thread of its own and notes when each {@code pool} event arrived
 * (this JVM's {@code System.nanoTime()}), so the benchmark times allocation and release against its own load.
 */
final class PoolEventWatch implements AutoCloseable {
    /** A pool event: its name ({@code allocate-done}, ...), its host, when it arrived here. */
    record Seen(String event, String host, long nanos) {
    }

    private static final Pattern EVENT = Pattern.compile("\"event\":\"([a-z-]+)\"");
    private static final Pattern HOST = Pattern.compile("\"host\":\"([^\"]*)\"");

    private final List<Seen> seen = new ArrayList<>();
    private final Thread reader;
    private volatile Stream<String> body;

    PoolEventWatch(String dashboardUrl) {
        reader = new Thread(() -> follow(dashboardUrl), "pool-event-watch");
        reader.setDaemon(true);
        reader.start();
    }

    private void follow(String dashboardUrl) {
        try {
            HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(dashboardUrl + "api/stream")).build(), HttpResponse.BodyHandlers.ofLines());
            body = r.body();
            String name = null;
            for (Iterator<String> it = r.body().iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ") && "pool".equals(name)) {
                    Matcher e = EVENT.matcher(line);
                    Matcher h = HOST.matcher(line);
                    if (e.find()) {
                        synchronized (seen) {
                            seen.add(new Seen(e.group(1), h.find() ? h.group(1) : "", System.nanoTime()));
                        }
                    }
                } else if (line.isEmpty()) {
                    name = null;
                }
            }
        } catch (Exception e) {
            // the stream ends when the manager stops; what was seen stays
        }
    }

    /** The first {@code event} that arrived at or after {@code fromNanos}, or null. */
    Seen first(String event, long fromNanos) {
        synchronized (seen) {
            return seen.stream().filter(s -> s.event().equals(event) && s.nanos() >= fromNanos).findFirst()
                    .orElse(null);
        }
    }

    List<Seen> all() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Override
    public void close() {
        Stream<String> b = body;
        if (b != null) {
            b.close();
        }
        reader.interrupt();
    }
}
