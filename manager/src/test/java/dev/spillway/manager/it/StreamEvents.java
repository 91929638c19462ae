package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads server-sent events from a real stream until the events read so far satisfy a condition (bounded). */
final class StreamEvents {
    /** One server-sent event as the client read it ({@code data:} lines joined with line breaks). */
    record Event(String name, String id, String data) {
    }

    private StreamEvents() {
    }

    /**
     * The events read until {@code enough} holds for them; fails (a timeout) after {@code seconds}.
     * The stream is closed before returning.
     */
    static List<Event> readUntil(HttpClient http, HttpRequest request, Predicate<List<Event>> enough, long seconds)
            throws Exception {
        HttpResponse<Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        List<Event> events = new ArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            Iterator<String> lines = r.body().iterator();
            String name = null;
            String id = null;
            StringBuilder data = null;
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (name != null) {
                        synchronized (events) {
                            events.add(new Event(name, id, data == null ? "" : data.toString()));
                            if (enough.test(events)) {
                                return;
                            }
                        }
                    }
                    name = null;
                    id = null;
                    data = null;
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6))
                            : data.append('\n').append(line.substring(6));
                }
            }
        });
        try {
            reading.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            synchronized (events) {
                throw new AssertionError("the stream did not bring what was awaited within " + seconds + " s; read: "
                        + events.stream().filter(ev -> !ev.name().equals("load")).toList(), e);
            }
        } finally {
            r.body().close();
        }
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
