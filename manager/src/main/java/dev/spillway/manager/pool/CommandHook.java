package dev.spillway.manager.pool;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hook command: an argv (no shell, so nothing in a value is interpreted) with the host's id, web URL and JMX URL
 * appended. Its output (stdout and stderr, the first {@value #OUTPUT_KEPT} characters) is logged; it fails when it
 * exits non-zero, cannot start or outlives the timeout (then it and its children are killed).
 */
final class CommandHook implements Hook {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.pool");
    static final int OUTPUT_KEPT = 4000;

    private final List<String> command;
    private final long timeoutMillis;

    CommandHook(List<String> command, long timeoutMillis) {
        this.command = List.copyOf(command);
        this.timeoutMillis = timeoutMillis;
    }

    List<String> argv(HookCall call) {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of(call.host(), call.webUrl(), call.jmxUrl()));
        return argv;
    }

    @Override
    public String describe(HookCall call) {
        return argv(call).toString();
    }

    @Override
    public String runOnce(HookCall call) {
        List<String> argv = argv(call);
        Path out = null;
        try {
            out = Files.createTempFile("spillway-hook", ".out");
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File(
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
            LOG.log(System.Logger.Level.INFO, "pool " + call.action() + " hook " + argv + " "
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
}
