package dev.spillway.agent.core;

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
 * The README's agent settings table is the one {@link AgentSettings#SETTINGS} describes (names, defaults, meanings),
 * and the commented example {@code conf/agent.properties} shows exactly the keys the agent knows.
 */
class AgentSettingsReadmeTest {
    @Test
    void theReadmeTableIsTheDescribedSettings() {
        ReadmeSection.check("agent-settings", SettingsText.markdownTable(AgentSettings.SETTINGS));
    }

    @Test
    void theExampleFileShowsEveryKeyAndNoOther() throws IOException {
        Path example = Path.of("..", "conf", "agent.properties");
        Set<String> shown = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#?([a-z][a-zA-Z.-]*) ?=").matcher(Files.readString(example,
                StandardCharsets.UTF_8));
        while (m.find()) {
            shown.add(m.group(1));
        }
        assertEquals(new TreeSet<>(AgentSettings.keys()), shown, "keys shown in " + example);
    }
}
