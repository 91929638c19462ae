package dev.spillway.bench.hotspot;

import dev.spillway.bench.report.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Filter settings a Spillway row runs with beyond the defaults ({@code --filter-set}, and one of {@code --variants}),
 * written into every server's filter file, so that one run can compare settings without a rebuild. The bench does not
 * check the keys: the filter does, and a server with a bad key fails to start with the filter's own message.
 *
 * @param index    1.. when the run has several variants (the row is then b1, b2, ...); 0 for the only one
 * @param settings key → value, in the order given
 */
record FilterVariant(int index, Map<String, String> settings) {
    static final FilterVariant DEFAULTS = new FilterVariant(0, Map.of());
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");

    /** {@code key=value} of {@code option}, added to {@code into}; a Usage naming the option if it is not that form. */
    static void parseSetting(String option, String setting, Map<String, String> into) {
        int eq = setting.indexOf('=');
        String key = eq < 0 ? "" : setting.substring(0, eq).trim();
        String value = eq < 0 ? "" : setting.substring(eq + 1).trim();
        if (!KEY.matcher(key).matches() || value.isEmpty() || value.contains("\n")) {
            throw new Usage(option + ": '" + setting + "' is not key=value (a filter setting, e.g. spillWaiting=1)");
        }
        into.put(key, value);
    }

    /**
     * {@code --variants}: variants separated by ';', each one or more {@code key=value} separated by ',' (an empty
     * variant, e.g. a leading ';', is the defaults). Each variant starts from {@code common} ({@code --filter-set}).
     */
    static List<FilterVariant> parseVariants(String option, String spec, Map<String, String> common) {
        String[] parts = spec.split(";", -1);
        if (parts.length < 2) {
            throw new Usage(option + ": '" + spec + "' names one variant; give two or more separated by ';'"
                    + " (e.g. \"spillWaiting=2;spillWaiting=1\"), or use --filter-set for one");
        }
        List<FilterVariant> variants = new ArrayList<>();
        for (String part : parts) {
            Map<String, String> s = new LinkedHashMap<>(common);
            for (String setting : part.split(",")) {
                if (!setting.isBlank()) {
                    parseSetting(option, setting, s);
                }
            }
            variants.add(new FilterVariant(variants.size() + 1, s));
        }
        return List.copyOf(variants);
    }

    /** "spillWaiting=1, spillReserve=5%", or "defaults". */
    String label() {
        if (settings.isEmpty()) {
            return "defaults";
        }
        List<String> parts = new ArrayList<>();
        settings.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    /** The row's letter suffix: "" for the only variant, else its number. */
    String suffix() {
        return index == 0 ? "" : String.valueOf(index);
    }

    /** The lines added to each server's filter file. */
    String fileLines() {
        StringBuilder b = new StringBuilder();
        settings.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        return b.toString();
    }
}
