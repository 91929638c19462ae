package dev.spillway.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Test instrument, off unless {@code -Dspillway.demo.arrivals=DIR} is given: a handler in front of the webapp (so
 * before any of its filters, Spillway's included) that writes, for each request carrying {@link Load#ID_HEADER},
 * the id and the wall-clock moment (epoch microseconds) a worker thread took it up, to {@code DIR/<host>.arrivals}.
 * A test compares those moments with its own (the same machine's clock) to know whether a request reached the
 * filter before or after something it did, e.g. killing a peer. A log, not a response header: a 502 the proxy
 * writes resets the response's headers.
 */
final class ArrivalLog extends Handler.Wrapper {
    static final String DIR_PROPERTY = "spillway.demo.arrivals";

    private final BufferedWriter out;

    ArrivalLog(Handler webapp, Path file) throws IOException {
        super(webapp);
        out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /** {@code webapp} wrapped when the property names a directory, else {@code webapp} itself. */
    static Handler around(Handler webapp, String host) throws IOException {
        String dir = System.getProperty(DIR_PROPERTY);
        return dir == null ? webapp : new ArrivalLog(webapp, Path.of(dir).resolve(host + ".arrivals"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String id = request.getHeaders().get(Load.ID_HEADER);
        if (id != null) {
            long micros = epochMicros(Instant.now());
            synchronized (out) {
                out.write(id.length() > 20 ? id.substring(0, 20) : id);
                out.write(' ');
                out.write(Long.toString(micros));
                out.write('\n');
                out.flush(); // the test reads the file while this server still runs
            }
        }
        return super.handle(request, response, callback);
    }

    static long epochMicros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    /** Reads {@code DIR/<host>.arrivals}: request id → epoch microseconds it reached the webapp (the first time). */
    static Map<Long, Long> read(Path dir, String host) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(host + ".arrivals"), StandardCharsets.US_ASCII);
            Map<Long, Long> m = new HashMap<>();
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f.length == 2) {
                    m.putIfAbsent(Long.parseLong(f[0]), Long.parseLong(f[1]));
                }
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
