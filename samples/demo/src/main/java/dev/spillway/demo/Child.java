package dev.spillway.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child JVM of the demo. Its output (stdout and stderr) goes line by line to a log file; its standard input is a
 * pipe the demo holds open and never writes, which the child watches ({@code ParentWatch}) so it exits when the
 * demo is gone, even after a SIGKILL.
 */
final class Child implements AutoCloseable {
    final String name;
    final Path log;
    private final Process process;
    private final CompletableFuture<String> firstLine = new CompletableFuture<>();
    private final String readyPrefix;

    private Child(String name, Path log, Process process, String readyPrefix) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.readyPrefix = readyPrefix;
    }

    /**
     * Starts {@code command}; with a {@code readyPrefix} (e.g. "READY "), {@link #awaitReady} returns the rest of the
     * first output line that starts with it.
     */
    static Child start(String name, List<String> command, Path log, String readyPrefix) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Child c = new Child(name, log, p, readyPrefix);
        Thread pump = new Thread(c::pump, "output-" + name);
        pump.setDaemon(true);
        pump.start();
        return c;
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (readyPrefix != null && !firstLine.isDone()
                        && (line.startsWith(readyPrefix) || line.startsWith("FAILED "))) {
                    firstLine.complete(line);
                }
            }
        } catch (IOException e) {
            // the child is gone
        } finally {
            firstLine.complete(null);
        }
    }

    /** Waits for the ready line; fails naming the log when the child printed FAILED, exited or took too long. */
    String awaitReady(long timeoutMillis) throws IOException, InterruptedException {
        String line;
        try {
            line = firstLine.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(name + " did not start within " + timeoutMillis / 1000 + " s; see " + log);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(name + ": " + e.getCause(), e.getCause());
        }
        if (line == null || !line.startsWith(readyPrefix)) {
            throw new IOException(name + " could not start" + (line == null ? "" : ": " + line.substring(7))
                    + "; see " + log + tail());
        }
        return line.substring(readyPrefix.length()).trim();
    }

    /** The last lines of the log, for error messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n  | " + String.join("\n  | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, or -1 while running. */
    int exitValue() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the process gets no chance to clean up (a crash, a pulled plug). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL if it has not stopped within {@code graceMillis}. */
    void stop(long graceMillis) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(5_000);
    }
}
