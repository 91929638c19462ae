package dev.spillway.settings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The command line every Spillway process takes: {@code --config FILE}, {@code --key=value} or {@code --key value}
 * (any settings key; a flag wins over the file, wherever it stands), short forms a process may define
 * ({@code --port} for {@code jmx.port}), and {@code --help} / {@code -h}. Bad arguments are a
 * {@link ConfigException} naming the argument and the expected form.
 */
public final class CommandLine {
    /** The argument naming the properties file. */
    public static final String CONFIG = "config";

    /** What the arguments asked for: the help text, or a run with these settings (the file's, overridden by flags). */
    public record Parsed(boolean help, ConfigValues values) {
    }

    private final Map<String, String> aliases;
    private final Set<String> knownKeys;

    /**
     * @param aliases short forms and the keys they stand for
     * @param knownKeys the keys a flag may name, checked here so a typo names the flag and the short forms; null
     *                  leaves the check to whoever reads the settings (the manager's keys depend on its host list)
     */
    public CommandLine(Map<String, String> aliases, Set<String> knownKeys) {
        this.aliases = Map.copyOf(aliases);
        this.knownKeys = knownKeys == null ? null : Set.copyOf(knownKeys);
    }

    public Parsed parse(String... args) {
        Map<String, String> flags = new LinkedHashMap<>();
        String file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return new Parsed(true, ConfigValues.empty());
            }
            if (!a.startsWith("--") || a.length() == 2 || a.startsWith("---") || a.startsWith("--=")) {
                throw new ConfigException(a, "is not an option; expected --config FILE, --key=value, --key value"
                        + " or --help");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigException("--" + name, null, "a value after --" + name);
            }
            if (name.equals(CONFIG)) {
                file = value;
                continue;
            }
            String key = aliases.getOrDefault(name, name);
            if (knownKeys != null && !knownKeys.contains(key)) {
                throw new ConfigException("--" + name, "is not a known option; known keys are "
                        + new java.util.TreeSet<>(knownKeys)
                        + (aliases.isEmpty() ? "" : " and the short forms " + new java.util.TreeSet<>(aliases.keySet())));
            }
            flags.put(key, value);
        }
        ConfigValues base = file == null ? ConfigValues.empty() : ConfigValues.load(Path.of(file), "--config");
        return new Parsed(false, base.overriddenBy(ConfigValues.of(flags)));
    }
}
