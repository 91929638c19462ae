package dev.spillway.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.filter.forward.ForwardSettings;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import dev.spillway.settings.SettingsText;
import dev.spillway.testkit.ReadmeSection;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The README's filter settings table is the one the filter's descriptors give (names, defaults, meanings). */
class FilterSettingsReadmeTest {
    /** The filter's table: where the file is, the filter's own settings, the forwarder's, the embedded agent's. */
    static final SettingList TABLE = SettingList.of(FilterConfigReader.CONFIG_SETTING).plus(FilterSettings.SETTINGS)
            .plus(ForwardSettings.SETTINGS).plus(AgentConfig.SETTINGS);

    @Test
    void theReadmeTableIsTheDescribedSettings() {
        ReadmeSection.check("filter-settings", SettingsText.markdownTable(TABLE));
    }

    @Test
    void theTableCoversEveryKeyTheFilterAccepts() {
        Set<String> documented = new TreeSet<>(TABLE.keys());
        for (String key : OffloadFilter.knownKeys()) {
            if (!key.startsWith(AgentConfig.PREFIX)) {
                assertEquals(true, documented.remove(key), key + " is accepted but not in the table");
            }
        }
        assertEquals(Set.of(), documented, "in the table but not accepted");
        assertEquals(true, TABLE.all().stream().map(Setting::key).anyMatch("agent.<key>"::equals));
    }
}
