package dev.spillway.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.settings.SettingsText;
import dev.spillway.testkit.ReadmeSection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's manager settings table is the one {@link ManagerConfig#SETTINGS} describes, and the commented example
 * {@code conf/manager.properties} shows exactly the keys the manager knows.
 */
class ManagerSettingsReadmeTest {
    @Test
    void theReadmeTableIsTheDescribedSettings() {
        ReadmeSection.check("manager-settings", SettingsText.markdownTable(ManagerConfig.SETTINGS));
    }

    @Test
    void theExampleFileShowsEveryKeyAndNoOther() throws IOException {
        Path example = Path.of("..", "conf", "manager.properties");
        Set<String> shown = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#?([a-zA-Z][a-zA-Z.-]*)=").matcher(Files.readString(example,
                StandardCharsets.UTF_8));
        while (m.find()) {
            if (!m.group(1).startsWith("host.")) {
                shown.add(m.group(1));
            }
        }
        Set<String> missing = new TreeSet<>(ManagerConfig.KEYS);
        missing.removeAll(shown);
        Set<String> unknown = new TreeSet<>(shown);
        unknown.removeAll(ManagerConfig.KEYS);
        assertEquals(Set.of(), unknown, "keys in " + example + " the manager does not know");
        assertEquals(Set.of(), missing, "keys missing from " + example);
    }
}
