package dev.spillway.manager.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the pool's hooks on a thread of their own, so a slow or hanging hook never holds up the control loop. A hook
 * is an argv (no shell) with the host's id, web URL and JMX URL appended; its output (stdout and stderr, the first
 * {@value #OUTPUT_KEPT} characters) is logged; a run that exits non-zero, cannot start or outlives the timeout is
 * logged and run again after the retry delay, up to the configured attempts.
 */
final class HookRunner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.pool");
    static final int OUTPUT_KEPT = 4000;

    private final long timeoutMillis;
    private final long retryMillis;
    private final int attempts;
    private final AtomicLong failures = new AtomicLong();
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spillway-pool-hooks");
        t.setDaemon(true);
        return t;
    });

    HookRunner(long timeoutMillis, long retryMillis, int attempts) {
        this.timeoutMillis = timeoutMillis;
        this.retryMillis = retryMillis;
        this.attempts = attempts;
    }

    /** Queues {@code command + args}; nothing when the command is empty. */
    void run(String action, List<String> command, List<String> args) {
        if (command.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(command);
        argv.addAll(args);
        submit(action, List.copyOf(argv), 1, 0);
    }

    /** Hook runs that failed (each attempt counts). */
    long failures() {
        return failures.get();
    }

    private void submit(String action, List<String> argv, int attempt, long delayMillis) {
        try {
            runner.schedule(() -> attempt(action, argv, attempt), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "pool " + action + " hook not run: the manager is stopping");
        }
    }

    private void attempt(String action, List<String> argv, int attempt) {
        String failure = runOnce(action, argv);
        if (failure == null) {
            return;
        }
        failures.incrementAndGet();
        if (attempt < attempts) {
            LOG.log(System.Logger.Level.WARNING, "pool " + action + " hook " + argv + " failed (" + failure
                    + "), attempt " + attempt + " of " + attempts + "; again in " + retryMillis + " ms");
            submit(action, argv, attempt + 1, retryMillis);
        } else {
            LOG.log(System.Logger.Level.ERROR, "pool " + action + " hook " + argv + " failed (" + failure
                    + ") " + attempts + " times; given up");
        }
    }

    /** Null when the hook exited 0, otherwise why it failed. */
    private String runOnce(String action, List<String> argv) {
        Path out = null;
        try {
            out = Files.createTempFile("spillway-hook", ".out");
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                            System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null")))
                    .start();
            boolean ended = p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (text.length() > OUTPUT_KEPT) {
                text = text.substring(0, OUTPUT_KEPT) + "...";
            }
            LOG.log(System.Logger.Level.INFO, "pool " + action + " hook " + argv + " "
                    + (ended ? "exited " + p.exitValue() : "killed after " + timeoutMillis + " ms")
                    + (text.isBlank() ? "" : ", output: " + text.strip()));
            if (!ended) {
                return "timed out after " + timeoutMillis + " ms";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue();
        } catch (IOException e) {
            return "cannot start: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
