package dev.spillway.scripted;

import dev.spillway.settings.ConfigException;
import dev.spillway.agent.contract.HostLoad;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load figures over time, for tests and demos. One step per line: an offset from start, then {@code name=value}
 * pairs named like {@link HostLoad}'s properties; a step keeps every figure of the steps before it that it does not
 * name; {@code unknown} sets a figure back to unknown; {@code repeat 60s} on a line of its own starts over after
 * that long. Example:
 * <pre>
 * 0s   queueLength=1  queueDelayMillis=5   systemCpu=0.20
 * 20s  queueLength=80 queueDelayMillis=450 systemCpu=0.95
 * 40s  healthUp=false
 * repeat 60s
 * </pre>
 */
public final class LoadScript {
    /** The figures a script may set. */
    public static final Set<String> FIGURES = Set.of("systemCpu", "processCpu", "systemMemory", "heapUsedBytes",
            "heapMaxBytes", "queueLength", "queueLengthMax", "queueDelayMillis", "queueDelayMaxMillis", "inFlight",
            "requestRate", "errorRate", "activeSessions", "sessionCapacity", "healthUp", "healthStatus",
            "healthResponseMillis", "healthBaselineMillis", "appHealthUp", "appHealthStatus",
            "appHealthResponseMillis", "waitingRequests", "busyWorkers", "maxWorkers", "serviceTimeMillis",
            "movedRate", "overBudgetRate");
    private static final Pattern OFFSET = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    private final List<Step> steps;
    private final long repeatMillis;

    record Step(long atMillis, Map<String, String> figures) {
    }

    private LoadScript(List<Step> steps, long repeatMillis) {
        this.steps = steps;
        this.repeatMillis = repeatMillis;
    }

    /** @throws ConfigException on {@code key} naming the line that cannot be used */
    public static LoadScript load(Path file, String key) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(key, file.toString(), "a readable load script file");
        }
        return parse(lines, key + " (" + file + ")");
    }

    static LoadScript parse(List<String> lines, String where) {
        List<Step> steps = new ArrayList<>();
        Map<String, String> carried = new LinkedHashMap<>();
        long repeat = 0;
        long last = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String at = where + " line " + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts[0].equals("repeat")) {
                repeat = parts.length == 2 ? offset(parts[1], at) : -1;
                if (repeat <= last) {
                    throw new ConfigException(at, line, "'repeat <duration>' longer than the last step's offset");
                }
                continue;
            }
            long offset = offset(parts[0], at);
            if (offset <= last) {
                throw new ConfigException(at, parts[0], "an offset later than the step before");
            }
            for (int p = 1; p < parts.length; p++) {
                int eq = parts[p].indexOf('=');
                String name = eq < 0 ? parts[p] : parts[p].substring(0, eq);
                if (eq < 0 || !FIGURES.contains(name)) {
                    throw new ConfigException(at, parts[p], "name=value with a name out of " + FIGURES);
                }
                String value = parts[p].substring(eq + 1);
                check(name, value, at);
                carried.put(name, value);
            }
            steps.add(new Step(offset, Map.copyOf(carried)));
            last = offset;
        }
        if (steps.isEmpty()) {
            throw new ConfigException(where, "has no steps; expected lines like '0s queueLength=3'");
        }
        return new LoadScript(List.copyOf(steps), repeat);
    }

    /** The figures in force {@code elapsedMillis} after start (the first step's before its offset). */
    public Map<String, String> figuresAt(long elapsedMillis) {
        long t = repeatMillis > 0 ? elapsedMillis % repeatMillis : elapsedMillis;
        Step current = steps.get(0);
        for (Step s : steps) {
            if (s.atMillis() <= t) {
                current = s;
            }
        }
        return current.figures();
    }

    /** Sets the figures of {@code figures} on {@code b}. */
    public static void apply(Map<String, String> figures, HostLoad.Builder b) {
        figures.forEach((name, value) -> set(b, name, value));
    }

    private static void check(String name, String value, String at) {
        try {
            set(HostLoad.builder("check"), name, value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at, name + "=" + value, e.getMessage());
        }
    }

    private static void set(HostLoad.Builder b, String name, String value) {
        boolean unknown = value.equalsIgnoreCase("unknown");
        switch (name) {
            case "systemCpu" -> b.systemCpu(fraction(value, unknown));
            case "processCpu" -> b.processCpu(fraction(value, unknown));
            case "systemMemory" -> b.systemMemory(fraction(value, unknown));
            case "heapUsedBytes" -> b.heapUsedBytes(count(value, unknown));
            case "heapMaxBytes" -> b.heapMaxBytes(count(value, unknown));
            case "queueLength" -> b.queueLength(number(value, unknown));
            case "queueLengthMax" -> b.queueLengthMax(count(value, unknown));
            case "queueDelayMillis" -> b.queueDelayMillis(number(value, unknown));
            case "queueDelayMaxMillis" -> b.queueDelayMaxMillis(number(value, unknown));
            case "inFlight" -> b.inFlight(count(value, unknown));
            case "requestRate" -> b.requestRate(number(value, unknown));
            case "errorRate" -> b.errorRate(number(value, unknown));
            case "activeSessions" -> b.activeSessions(count(value, unknown));
            case "sessionCapacity" -> b.sessionCapacity(count(value, unknown));
            case "healthUp" -> b.healthUp(bool(value));
            case "healthStatus" -> b.healthStatus((int) count(value, unknown));
            case "healthResponseMillis" -> b.healthResponseMillis(number(value, unknown));
            case "healthBaselineMillis" -> b.healthBaselineMillis(number(value, unknown));
            case "appHealthUp" -> b.appHealthUp(bool(value));
            case "appHealthStatus" -> b.appHealthStatus((int) count(value, unknown));
            case "appHealthResponseMillis" -> b.appHealthResponseMillis(number(value, unknown));
            case "waitingRequests" -> b.waitingRequests(number(value, unknown));
            case "busyWorkers" -> b.busyWorkers(count(value, unknown));
            case "maxWorkers" -> b.maxWorkers(count(value, unknown));
            case "serviceTimeMillis" -> b.serviceTimeMillis(number(value, unknown));
            case "movedRate" -> b.movedRate(number(value, unknown));
            case "overBudgetRate" -> b.overBudgetRate(number(value, unknown));
            default -> throw new IllegalArgumentException("unknown figure " + name);
        }
    }

    private static double number(String v, boolean unknown) {
        if (unknown) {
            return HostLoad.UNKNOWN;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a number >= 0 or 'unknown'");
        }
        if (!(d >= 0)) {
            throw new IllegalArgumentException("a number >= 0 or 'unknown'");
        }
        return d;
    }

    private static double fraction(String v, boolean unknown) {
        double d = number(v, unknown);
        if (d > 1) {
            throw new IllegalArgumentException("a fraction from 0 to 1 or 'unknown'");
        }
        return d;
    }

    private static long count(String v, boolean unknown) {
        if (unknown) {
            return HostLoad.UNKNOWN_COUNT;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new IllegalArgumentException("a whole number >= 0 or 'unknown'");
    }

    private static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("true or false");
        };
    }

    private static long offset(String text, String at) {
        Matcher m = OFFSET.matcher(text);
        if (!m.matches()) {
            throw new ConfigException(at, text, "an offset such as 0, 500ms, 20s or 2m");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            default -> n * 1_000;
        };
    }
}
