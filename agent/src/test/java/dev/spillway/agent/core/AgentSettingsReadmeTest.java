package dev.spillway.agent.core;

import dev.spillway.settings.SettingsText;
import dev.spillway.testkit.ReadmeSection;
import org.junit.jupiter.api.Test;

/** The README's agent settings table is the one {@link AgentSettings#SETTINGS} describes (names, defaults, meanings). */
class AgentSettingsReadmeTest {
    @Test
    void theReadmeTableIsTheDescribedSettings() {
        ReadmeSection.check("agent-settings", SettingsText.markdownTable(AgentSettings.SETTINGS));
    }
}
