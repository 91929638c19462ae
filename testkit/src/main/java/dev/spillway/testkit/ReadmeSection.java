package dev.spillway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a generated part of the README (a settings table) equal to what the code says. The part sits between
 * {@code <!-- generated:NAME -->} and {@code <!-- /generated:NAME -->}. A test calls {@link #check}: it fails when
 * the README differs, printing the expected text; run that test with {@code -Dspillway.readme.write=true} and it
 * writes the text into the README instead (then review and commit the diff).
 */
public final class ReadmeSection {
    public static final String WRITE_PROPERTY = "spillway.readme.write";

    private ReadmeSection() {
    }

    /** Fails unless the README's section {@code name} is exactly {@code expected} (or rewrites it, see above). */
    public static void check(String name, String expected) {
        Path readme = readme();
        String text;
        try {
            text = Files.readString(readme, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String begin = "<!-- generated:" + name + " -->\n";
        String end = "<!-- /generated:" + name + " -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new AssertionError(readme + " has no section " + begin.trim() + " ... " + end);
        }
        String actual = text.substring(from + begin.length(), to);
        if (actual.equals(expected)) {
            return;
        }
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            try {
                Files.writeString(readme, text.substring(0, from + begin.length()) + expected + text.substring(to),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        throw new AssertionError("README section '" + name + "' differs from the code's description. Rerun this"
                + " test with -D" + WRITE_PROPERTY + "=true to write it, or put in by hand:\n" + expected);
    }

    /** The README.md of the repository: the nearest one upward from the working directory. */
    static Path readme() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("README.md");
            if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("testkit"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("no README.md beside a testkit/ directory above " + Path.of("").toAbsolutePath());
    }
}
