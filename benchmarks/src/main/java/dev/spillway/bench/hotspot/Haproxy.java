package dev.spillway.bench.hotspot;

import dev.spillway.bench.cluster.ServerPriority;
import dev.spillway.demo.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (Debian's {@code haproxy} package) in front of the three servers, as a child process of this JVM: the
 * configuration is written into the run directory, HAProxy runs in the foreground ({@code -db}) under a small
 * shell that stops it when this JVM closes the shell's standard input or dies (the pipe ends either way), and
 * {@link #close()} stops it. No health checks: they would add requests to the servers that no other row has.
 */
final class Haproxy implements AutoCloseable {
    private final Process shell;
    private final int port;
    private final Path log;
    private final Thread stopOnExit;

    private Haproxy(Process shell, int port, Path log) {
        this.shell = shell;
        this.port = port;
        this.log = log;
        this.stopOnExit = new Thread(this::kill, "haproxy-stop");
    }

    /** True when an {@code haproxy} executable is on PATH. */
    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "haproxy"))) {
                return true;
            }
        }
        return false;
    }

    /** The configuration: one frontend on loopback {@code port}, one backend over {@code servers} (id → port). */
    static String config(String balance, int port, Map<String, Integer> servers) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by the hotspot benchmark (dev.spillway.bench.hotspot.HotspotBench); HAProxy 2.6.\n")
                .append("global\n")
                .append("    log stderr format short local0 warning\n")
                .append("defaults\n")
                .append("    mode http\n")
                .append("    log global\n")
                .append("    option http-keep-alive\n")
                .append("    http-reuse safe\n")
                .append("    timeout connect 2s\n")
                .append("    timeout client 60s\n")
                .append("    timeout server 60s\n")
                .append("    timeout http-keep-alive 10s\n")
                .append("frontend hotspot\n")
                .append("    bind 127.0.0.1:").append(port).append('\n')
                .append("    default_backend web\n")
                .append("backend web\n")
                .append("    balance ").append(balance).append('\n');
        servers.forEach((id, p) -> sb.append("    server ").append(id).append(" 127.0.0.1:").append(p).append('\n'));
        return sb.toString();
    }

    /** Writes {@code haproxy-BALANCE.cfg} into {@code runDir}, starts HAProxy and waits until it accepts. */
    static Haproxy start(String balance, Map<String, Integer> servers, Path runDir)
            throws IOException, InterruptedException {
        int port = FreePorts.pick();
        Path cfg = runDir.resolve("haproxy-" + balance + ".cfg");
        Files.writeString(cfg, config(balance, port, servers), StandardCharsets.UTF_8);
        Path log = runDir.resolve("haproxy-" + balance + ".log");
        // The shell stops HAProxy once its standard input ends: when close() closes it, or when this JVM dies.
        // Under nice like the servers (ServerPriority): HAProxy is part of the system under test.
        String script = ServerPriority.shellPrefix()
                + "haproxy -db -f \"$1\" & hp=$!; cat >/dev/null; kill $hp 2>/dev/null; wait $hp";
        Process p = new ProcessBuilder(List.of("sh", "-c", script, "haproxy-wrapper", cfg.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Haproxy h = new Haproxy(p, port, log);
        Runtime.getRuntime().addShutdownHook(h.stopOnExit);
        long startedAt = System.currentTimeMillis();
        while (!accepts(port)) {
            if (!p.isAlive() || System.currentTimeMillis() > startedAt + 10_000 || haproxyGone(p, startedAt)) {
                String text = Files.exists(log) ? Files.readString(log) : "";
                h.close();
                throw new IOException("HAProxy (" + balance + ") did not start; config " + cfg + ", log " + log
                        + (text.isBlank() ? "" : ":\n" + text.strip()));
            }
            Thread.sleep(100);
        }
        return h;
    }

    /** Once the shell has started it, HAProxy is one of its children; none after a second means it exited. */
    private static boolean haproxyGone(Process shell, long startedAt) {
        return System.currentTimeMillis() - startedAt > 1_000 && shell.children()
                .noneMatch(c -> c.info().command().map(cmd -> cmd.endsWith("haproxy")).orElse(false));
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    /** Stops HAProxy: closes the shell's input (it then stops HAProxy and exits), forcibly after 5 s. */
    @Override
    public void close() throws InterruptedException {
        try {
            shell.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
        if (!shell.waitFor(5, TimeUnit.SECONDS)) {
            kill();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down
        }
    }

    private void kill() {
        shell.descendants().forEach(ProcessHandle::destroyForcibly);
        shell.destroyForcibly();
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
