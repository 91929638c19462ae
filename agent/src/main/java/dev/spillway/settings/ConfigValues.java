package dev.spillway.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw key/value configuration (a properties file, web.xml init-params, command-line flags) read into typed values.
 * Every getter either returns a valid value or throws {@link ConfigException} naming the key, the value and the
 * expected form; nothing is clamped. {@link #requireOnlyKnown} turns a typo into an error instead of a silently
 * ignored setting. Immutable.
 */
public final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

    private final Map<String, String> values;

    private ConfigValues(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static ConfigValues of(Map<String, String> values) {
        Map<String, String> trimmed = new LinkedHashMap<>();
        values.forEach((k, v) -> trimmed.put(k.trim(), v == null ? "" : v.trim()));
        return new ConfigValues(trimmed);
    }

    public static ConfigValues empty() {
        return new ConfigValues(Map.of());
    }

    /** Reads a properties file (UTF-8). A missing or unreadable file is a {@link ConfigException} on {@code key}. */
    public static ConfigValues load(Path file, String key) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            return fromProperties(p);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(key, file.toString(), "a readable properties file (" + e.getMessage() + ")");
        }
    }

    /** Reads properties (UTF-8) from a stream the caller opened, e.g. a class-path resource. */
    public static ConfigValues load(InputStream in, String key, String what) {
        try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            return fromProperties(p);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(key, what, "a readable properties file (" + e.getMessage() + ")");
        }
    }

    public static ConfigValues fromProperties(Properties p) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            m.put(name, p.getProperty(name));
        }
        return of(m);
    }

    /** These values, with every key of {@code overrides} replacing ours. */
    public ConfigValues overriddenBy(ConfigValues overrides) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.putAll(overrides.values);
        return new ConfigValues(m);
    }

    /** Fails on the first key (in sorted order) that is not in {@code known}. */
    public ConfigValues requireOnlyKnown(Set<String> known) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            throw new ConfigException(key, "is not a known setting (a typo?); known settings are "
                    + new TreeSet<>(known));
        }
        return this;
    }

    public boolean has(String key) {
        String v = values.get(key);
        return v != null && !v.isEmpty();
    }

    public Map<String, String> asMap() {
        return values;
    }

    public String string(String key, String def) {
        return has(key) ? values.get(key) : def;
    }

    public String requiredString(String key, String expected) {
        if (!has(key)) {
            throw new ConfigException(key, null, expected);
        }
        return values.get(key);
    }

    public boolean bool(String key, boolean def) {
        if (!has(key)) {
            return def;
        }
        String v = values.get(key).toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw new ConfigException(key, values.get(key), "true or false");
    }

    /** An integer in {@code [min, max]}. */
    public long integer(String key, long def, long min, long max) {
        if (!has(key)) {
            return def;
        }
        String v = values.get(key);
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new ConfigException(key, v, "a whole number from " + min + " to " + max);
    }

    /** A decimal number in {@code [min, max]}. */
    public double decimal(String key, double def, double min, double max) {
        if (!has(key)) {
            return def;
        }
        String v = values.get(key);
        try {
            double d = Double.parseDouble(v);
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new ConfigException(key, v, "a number from " + min + " to " + max);
    }

    /**
     * A duration with a unit, {@code 250ms}, {@code 10s}, {@code 5m} or {@code 1h}, returned in milliseconds and
     * required to be in {@code [minMillis, maxMillis]}. A bare number is refused: "250" could mean ms or s.
     */
    public long millis(String key, long defMillis, long minMillis, long maxMillis) {
        if (!has(key)) {
            return defMillis;
        }
        String v = values.get(key);
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            long ms = switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            if (ms >= minMillis && ms <= maxMillis) {
                return ms;
            }
        }
        throw new ConfigException(key, v, "a duration with a unit (ms, s, m, h) from " + minMillis + "ms to "
                + maxMillis + "ms, e.g. 250ms or 10s");
    }

    /** A list separated by commas and/or whitespace; empty entries are dropped. */
    public List<String> list(String key) {
        if (!has(key)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : values.get(key).split("[,\\s]+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** One of {@code allowed}, case-insensitively; returned in the spelling of {@code allowed}. */
    public String choice(String key, String def, List<String> allowed) {
        if (!has(key)) {
            return def;
        }
        String v = values.get(key);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw new ConfigException(key, v, "one of " + allowed);
    }
}
