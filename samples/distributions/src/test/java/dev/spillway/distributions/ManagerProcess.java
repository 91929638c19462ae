package dev.spillway.distributions;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The manager's runnable JAR ({@code java -jar spillway-manager.jar --config FILE}) as a separate process, and its
 * HTTP API: the host table and the operator's drain and enable.
 */
final class ManagerProcess implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("manager.jar", "target/dist/spillway-manager.jar"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> HOST_LIST = new TypeReference<>() { };

    final int httpPort;
    final Path log;
    private final Process process;

    private ManagerProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts the manager with {@code config} plus {@code flags} (which win over the file), and waits for its API. */
    static ManagerProcess start(Path config, int httpPort, Path log, String... flags) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", JAR.toString(), "--config", config.toString()));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ManagerProcess m = new ManagerProcess(p, httpPort, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the manager exited with " + p.exitValue() + ":\n" + m.logTail());
            }
            try {
                if (m.send("GET", "/api/hosts", null).statusCode() == 200) {
                    return m;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        m.close();
        throw new IllegalStateException("the manager's API did not answer within 30 s:\n" + m.logTail());
    }

    /** {@code GET /api/hosts}, by host id (objects as maps, arrays as lists, numbers as {@link Number}). */
    Map<String, Map<String, Object>> hosts() throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", "/api/hosts", null);
        if (r.statusCode() != 200) {
            throw new IOException("GET /api/hosts answered " + r.statusCode() + ": " + r.body());
        }
        Map<String, Map<String, Object>> byId = new java.util.TreeMap<>();
        for (Map<String, Object> h : JSON.readValue(r.body(), HOST_LIST)) {
            byId.put((String) h.get("id"), h);
        }
        return byId;
    }

    Optional<Map<String, Object>> host(String id) throws IOException, InterruptedException {
        return Optional.ofNullable(hosts().get(id));
    }

    /** {@code POST /api/hosts/{id}/drain} or {@code /enable} with {@code Authorization: Bearer token} (none if null). */
    HttpResponse<String> post(String id, String action, String token) throws IOException, InterruptedException {
        return send("POST", "/api/hosts/" + id + "/" + action, token);
    }

    private HttpResponse<String> send(String method, String path, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String logTail() {
        return LogTail.of(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: the manager stops its cycle first, then its connectors
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
