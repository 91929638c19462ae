package dev.spillway.bench.hotspot;

import dev.spillway.demo.Load;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A row's pages one by one, for matching with what the servers logged ({@code -Dspillway.demo.arrivals=DIR} on the
 * server JVMs: the epoch microsecond a worker took each request up, by its {@link Load#ID_HEADER}). With both, a
 * page's latency splits into before a worker took it up (the client's send, the connection, the server's accept and
 * queue) and after (the page, the answer's way back, the client reading it). Times are epoch microseconds of this
 * machine's clock, from {@code t0Nanos} (the load's start on {@link System#nanoTime()}) taken at {@code t0Micros}.
 */
final class RequestLog {
    private RequestLog() {
    }

    static void write(List<Load.Result> results, long t0Nanos, long t0Micros, Path file) throws IOException {
        StringBuilder out = new StringBuilder("id,server,served_by,moved,due_us,latency_ms,first_answer_ms\n");
        for (Load.Result r : results) {
            if (r.kind() != Load.Kind.PAGE) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%d,%s,%s,%b,%d,%.2f,%.2f%n", r.id(), r.hit(), r.servedBy(),
                    r.moved(), t0Micros + (r.dueNanos() - t0Nanos) / 1000, r.latencyNanos() / 1e6,
                    r.firstAnswerNanos() / 1e6));
        }
        Files.writeString(file, out);
    }
}
