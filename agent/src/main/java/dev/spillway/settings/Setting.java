package dev.spillway.settings;

import java.util.List;

/**
 * One setting, described once: its key, how it is read and checked, its default and a one-line meaning. A
 * component lists its settings in one {@link SettingList}; its known keys, its {@code --help} text and the README's
 * settings table are all derived from that list, so they cannot drift apart.
 *
 * <p><b>Adding a setting</b> is one descriptor line in the component, e.g.
 * {@code static final Setting<Long> DRAIN_GRACE = Setting.duration("drain.grace", 5_000, 0, 600_000, "how long ...");}
 * plus its name in the component's {@code SETTINGS} list and {@code DRAIN_GRACE.read(values)} where the component
 * builds its settings; then rerun the module's README test with {@code -Dspillway.readme.write=true} to regenerate
 * the table. Reading never clamps: a value out of bounds is a
 * {@link ConfigException} naming the key, the value and the expected form.
 *
 * @param <T> the type {@link #read} returns
 */
public final class Setting<T> {
    /** Reads the value of {@code key} from {@code values}; the key is passed in so a prefixed copy reads its own. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ConfigValues values, String key);
    }

    private final String key;
    private final String defaultValue;
    private final String defaultNote;
    private final String meaning;
    private final Reader<T> reader;
    private final boolean documentedOnly;

    private Setting(String key, String defaultValue, String defaultNote, String meaning, Reader<T> reader) {
        this(key, defaultValue, defaultNote, meaning, reader, false);
    }

    private Setting(String key, String defaultValue, String defaultNote, String meaning, Reader<T> reader,
            boolean documentedOnly) {
        if (key == null || key.isBlank() || meaning == null || meaning.isBlank()) {
            throw new IllegalArgumentException("a setting needs a key and a meaning: " + key);
        }
        this.key = key;
        this.defaultValue = defaultValue;
        this.defaultNote = defaultNote;
        this.meaning = meaning;
        this.reader = reader;
        this.documentedOnly = documentedOnly;
    }

    /**
     * A setting read by {@code reader}: for values with their own syntax (page rules, peer lists, URLs).
     *
     * @param defaultValue the default as it would be written in a file ("" when there is none to write)
     */
    public static <T> Setting<T> of(String key, String defaultValue, String meaning, Reader<T> reader) {
        return new Setting<>(key, defaultValue, null, meaning, reader);
    }

    /** A duration with a unit ({@code 250ms}, {@code 10s}), read in milliseconds, in {@code [min, max]}. */
    public static Setting<Long> duration(String key, long defMillis, long minMillis, long maxMillis, String meaning) {
        return of(key, durationText(defMillis), meaning, (c, k) -> c.millis(k, defMillis, minMillis, maxMillis));
    }

    /** A whole number in {@code [min, max]}. */
    public static Setting<Integer> integer(String key, int def, int min, int max, String meaning) {
        return of(key, String.valueOf(def), meaning, (c, k) -> (int) c.integer(k, def, min, max));
    }

    /** A decimal number in {@code [min, max]}. */
    public static Setting<Double> decimal(String key, double def, double min, double max, String meaning) {
        return of(key, decimalText(def), meaning, (c, k) -> c.decimal(k, def, min, max));
    }

    /** {@code true} or {@code false}. */
    public static Setting<Boolean> bool(String key, boolean def, String meaning) {
        return of(key, String.valueOf(def), meaning, (c, k) -> c.bool(k, def));
    }

    /** Free text ("" when unset and {@code def} is ""). */
    public static Setting<String> string(String key, String def, String meaning) {
        return of(key, def, meaning, (c, k) -> c.string(k, def));
    }

    /** One of {@code allowed}, case-insensitively, returned in the spelling of {@code allowed}. */
    public static Setting<String> choice(String key, String def, List<String> allowed, String meaning) {
        return of(key, def, meaning, (c, k) -> c.choice(k, def, allowed));
    }

    /** A list separated by commas and/or whitespace; empty when unset. */
    public static Setting<List<String>> list(String key, String meaning) {
        return of(key, "", meaning, (c, k) -> c.list(k));
    }

    /** A password or token: the value, {@code env:NAME} or {@code file:PATH} (see {@link Secrets}); "" when unset. */
    public static Setting<String> secret(String key, String meaning) {
        return of(key, "", meaning, (c, k) -> Secrets.read(c, k, ""));
    }

    /**
     * A row for the documentation only, never read: a family of keys ({@code agent.<key>}) or a key another part
     * handles (the filter's {@code config} init-param).
     */
    public static Setting<Void> documentedOnly(String key, String defaultNote, String meaning) {
        return new Setting<>(key, "", defaultNote, meaning, (c, k) -> {
            throw new IllegalStateException(k + " is documented only, not read");
        }, true);
    }

    /** The same setting with a default described in words, where the value is computed (host name, 80% of ...). */
    public Setting<T> defaultNote(String note) {
        return new Setting<>(key, defaultValue, note, meaning, reader, documentedOnly);
    }

    /** The same setting under {@code prefix + key}, e.g. the agent's {@code jmx.port} as the filter's {@code agent.jmx.port}. */
    public Setting<T> prefixed(String prefix) {
        return new Setting<>(prefix + key, defaultValue, defaultNote, meaning, reader, documentedOnly);
    }

    /** The value in {@code values}, or the default; a bad value is a {@link ConfigException} on {@link #key}. */
    public T read(ConfigValues values) {
        return reader.read(values, key);
    }

    public String key() {
        return key;
    }

    /** The default as written in a file; "" when there is none (the setting is then off, empty or computed). */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default in words for the documentation: the note if one was given, else the value, else "none". */
    public String defaultText() {
        if (defaultNote != null) {
            return defaultNote;
        }
        return defaultValue.isEmpty() ? "none" : "`" + defaultValue + "`";
    }

    public String meaning() {
        return meaning;
    }

    /** True for a {@link #documentedOnly} row: shown in tables and help, but not a key of its own. */
    public boolean isDocumentedOnly() {
        return documentedOnly;
    }

    /** {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}: the largest unit that states the value exactly. */
    static String durationText(long millis) {
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0 && millis < 3_600_000) {
            return millis / 60_000 + "m";
        }
        if (millis != 0 && millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }

    /** {@code 50}, {@code 0.85}: no trailing {@code .0}, never an exponent for the values settings use. */
    static String decimalText(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return key;
    }
}
