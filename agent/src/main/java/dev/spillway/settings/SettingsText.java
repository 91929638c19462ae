package dev.spillway.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * The two texts derived from a {@link SettingList}: {@code --help} (a commented properties file: every setting with
 * its meaning and its default, ready to copy and uncomment) and the README's markdown table.
 */
public final class SettingsText {
    private static final int WIDTH = 100;

    private SettingsText() {
    }

    /**
     * For {@code --help}: per setting its meaning as {@code #} comment lines, then {@code #key=default}. Uncommenting
     * every {@code key=default} line gives the built-in defaults.
     */
    public static String help(SettingList settings) {
        StringBuilder out = new StringBuilder();
        for (Setting<?> s : settings.all()) {
            String meaning = plain(s.meaning());
            if (s.defaultValue().isEmpty() && !s.defaultText().equals("none")) {
                meaning += " (default: " + plain(s.defaultText()) + ")";
            }
            for (String line : wrap(meaning, WIDTH - 2)) {
                out.append("# ").append(line).append('\n');
            }
            out.append('#').append(s.key()).append('=').append(s.defaultValue()).append("\n\n");
        }
        return out.toString();
    }

    /** The README table: key, default, meaning; one row per setting, in the list's order. */
    public static String markdownTable(SettingList settings) {
        StringBuilder out = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (Setting<?> s : settings.all()) {
            out.append("| `").append(s.key()).append("` | ").append(s.defaultText()).append(" | ")
                    .append(s.meaning()).append(" |\n");
        }
        return out.toString();
    }

    /** Markdown to terminal text: links keep their words, code marks and table escapes go. */
    static String plain(String markdown) {
        return markdown.replaceAll("\\[([^\\]]+)]\\([^)]*\\)", "$1").replace("`", "").replace("\\|", "|");
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" +")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
