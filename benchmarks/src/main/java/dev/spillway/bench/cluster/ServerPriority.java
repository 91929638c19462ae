package dev.spillway.bench.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * How much lower than the benchmark's own JVM the processes of the system under test run: the web servers, the
 * manager and HAProxy start under {@code nice -n N}. The benchmark's JVM is the load client, and the load client
 * stands for the users' own machines: on the one machine a benchmark runs on, it must not wait for a CPU behind the
 * servers, or every page it measures — on every server, moved or not — takes the client's own wait too. Session 16
 * measured that wait in the first two seconds of a Spillway row: a page of a server at 30% took 150–800 ms p50 from
 * due to answer while the server answered a probe of its own in 101–163 ms, and the client's callback threads queued
 * for a CPU. The servers still share the machine with each other and the manager, as before.
 *
 * <p>{@value #DEFAULT} by default; {@code -Dspillway.bench.server-nice=0} on the benchmark's command line starts them
 * as before (at the benchmark's own priority).
 */
public final class ServerPriority {
    public static final String PROPERTY = "spillway.bench.server-nice";
    static final int DEFAULT = 5;

    private ServerPriority() {
    }

    /** The niceness from {@link #PROPERTY}, or {@value #DEFAULT}. */
    public static int nice() {
        return parse(System.getProperty(PROPERTY));
    }

    /** {@code value} as a niceness of 0–19 ({@value #DEFAULT} when null). */
    static int parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0 && n <= 19) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + ": expected a niceness of 0 to 19");
    }

    /** {@code command} started under {@code nice -n N}; as it is at 0. */
    static List<String> command(List<String> command, int nice) {
        if (nice == 0) {
            return List.copyOf(command);
        }
        List<String> c = new ArrayList<>(List.of("nice", "-n", String.valueOf(nice)));
        c.addAll(command);
        return c;
    }

    public static List<String> command(List<String> command) {
        return command(command, nice());
    }

    /** The prefix for a shell command line ({@code "nice -n 5 "}), or "" at 0. */
    public static String shellPrefix() {
        int n = nice();
        return n == 0 ? "" : "nice -n " + n + " ";
    }

    /** For a run's header: what the system under test ran at. */
    public static String describe() {
        int n = nice();
        return n == 0 ? "servers, manager and HAProxy at the load client's own priority (-D" + PROPERTY + "=0)"
                : "servers, manager and HAProxy under nice -n " + n + ", below the load client (-D" + PROPERTY
                + "=0: off)";
    }
}
