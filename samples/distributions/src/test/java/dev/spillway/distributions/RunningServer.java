package dev.spillway.distributions;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A distribution's server process: waits for it, reaches its platform MBeanServer, and stops it with its children. */
final class RunningServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    final String name;
    final Process process;
    final int port;
    final Path log;
    private JMXConnector jmx;

    RunningServer(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/shop";
    }

    /** Waits until {@code /shop/health} answers 200, or fails with the server's log. */
    RunningServer awaitUp(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (get("/health").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not answer /shop/health within " + timeout + ":\n" + logTail());
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code method} on {@code path} of this server's webapp, with an empty body; redirects are not followed. */
    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return fetch(method, baseUrl() + path);
    }

    /** {@code method} on an absolute URL (a Location to follow), with an empty body; redirects are not followed. */
    static HttpResponse<String> fetch(String method, String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The server JVM's platform MBeanServer, through the JDK's attach API (no port or password to set up). */
    MBeanServerConnection mbeans() throws Exception {
        if (jmx == null) {
            long pid = jvmPid();
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            } finally {
                vm.detach();
            }
        }
        return jmx.getMBeanServerConnection();
    }

    // catalina.sh may run the JVM as its child rather than exec it; the JVM is the process running java.
    private long jvmPid() {
        return process.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(process.pid());
    }

    String logTail() {
        return LogTail.of(log);
    }

    @Override
    public void close() throws Exception {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException ignored) {
                // the server is going away anyway
            }
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
