package dev.spillway.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a benchmark result must carry to be read later: when, the machine (cores, OS), the versions (JDK, Jetty,
 * HAProxy) and the exact command. The command is taken from {@code -Dbench.command} (the scripts pass their own
 * command line), else from this JVM's command line.
 */
public record RunInfo(Instant started, int cores, String os, String java, String jetty, String haproxy,
        String command) {

    /** Looks everything up now. HAProxy is asked with {@code haproxy -v}; "not installed" when it is not on PATH. */
    public static RunInfo capture() {
        String command = System.getProperty("bench.command");
        if (command == null || command.isBlank()) {
            command = ProcessHandle.current().info().commandLine().orElse("(unknown)");
        }
        return new RunInfo(Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                jettyVersion(), haproxyVersion(), command);
    }

    /** The 1, 5 and 15 minute load averages as {@code uptime} shows them (from /proc/loadavg), e.g. "1.20 0.90 0.70". */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? "?" : String.format(Locale.ROOT, "%.2f", one);
        }
    }

    /** The 1-minute load average alone, NaN when unknown. */
    public static double loadAverage1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Header lines, each starting with "# ", for the top of a table or a CSV file. */
    public List<String> lines() {
        List<String> l = new ArrayList<>();
        l.add("# run:     " + started + " (UTC)");
        l.add("# machine: " + cores + " cores (availableProcessors), " + os);
        l.add("# java:    " + java);
        l.add("# jetty:   " + jetty);
        l.add("# haproxy: " + haproxy);
        l.add("# command: " + command);
        return l;
    }

    @Override
    public String toString() {
        return String.join("\n", lines()) + "\n";
    }

    static String jettyVersion() {
        try {
            Class<?> jetty = Class.forName("org.eclipse.jetty.util.Jetty");
            return String.valueOf(jetty.getField("VERSION").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            return "not on the class path";
        }
    }

    static String haproxyVersion() {
        try {
            Process p = new ProcessBuilder("haproxy", "-v").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown (haproxy -v did not answer)";
            }
            String first = out.lines().findFirst().orElse("").trim();
            return first.isEmpty() ? "unknown" : first;
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
