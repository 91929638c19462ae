package dev.spillway.bench.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A benchmark program's command line, split the same way for every program: {@code --help} or {@code -h} ends it
 * with the usage ({@link Usage} without a message), a name of {@code flagNames} takes no value, and every other
 * option takes the next argument or the part after its {@code =} ({@code --shape 1,5} or {@code --shape=1,5}). Each
 * program keeps its own switch over {@link #options()} and throws a {@link Usage} for a key it does not know.
 */
public record Arguments(Set<String> flags, List<Option> options) {
    /** One option as given: its key (with the dashes) and its value. */
    public record Option(String key, String value) {
    }

    public static Arguments parse(String[] args, Set<String> flagNames) {
        Set<String> flags = new HashSet<>();
        List<Option> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new Usage(null);
            }
            if (flagNames.contains(a)) {
                flags.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            String key = eq > 0 ? a.substring(0, eq) : a;
            String value = eq > 0 ? a.substring(eq + 1) : i + 1 < args.length ? args[++i] : null;
            if (value == null) {
                throw new Usage(key + " needs a value");
            }
            options.add(new Option(key, value));
        }
        return new Arguments(Set.copyOf(flags), List.copyOf(options));
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }
}
