package dev.spillway.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingTest {
    private static final Setting<Long> WINDOW = Setting.duration("window", 10_000, 1_000, 600_000, "how far back");
    private static final Setting<Integer> WORKERS = Setting.integer("workers", 4, 1, 64, "how many");
    private static final Setting<Double> SHARE = Setting.decimal("share", 0.8, 0.05, 1, "how much");
    private static final Setting<String> MODE = Setting.choice("mode", "REDIRECT", List.of("REDIRECT", "PROXY"),
            "how to move");

    @Test
    void readsTheValueOrTheDefault() {
        ConfigValues c = ConfigValues.of(Map.of("window", "2s", "workers", "8", "mode", "proxy"));
        assertEquals(2_000, WINDOW.read(c));
        assertEquals(8, WORKERS.read(c));
        assertEquals(0.8, SHARE.read(c));
        assertEquals("PROXY", MODE.read(c));
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheExpectedForm() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> WORKERS.read(ConfigValues.of(Map.of("workers", "65"))));
        assertEquals("workers", e.key());
        assertEquals("workers = '65' is not valid; expected a whole number from 1 to 64", e.getMessage());
        ConfigException p = assertThrows(ConfigException.class,
                () -> WORKERS.prefixed("pool.").read(ConfigValues.of(Map.of("pool.workers", "0"))));
        assertEquals("pool.workers", p.key(), "a prefixed copy reads and names its own key");
        assertEquals("window", assertThrows(ConfigException.class,
                () -> WINDOW.read(ConfigValues.of(Map.of("window", "10")))).key(), "a bare number is refused");
    }

    @Test
    void defaultsAreWrittenAsAFileWouldWriteThem() {
        assertEquals("10s", WINDOW.defaultValue());
        assertEquals("250ms", Setting.duration("d", 250, 0, 1000, "m").defaultValue());
        assertEquals("1h", Setting.duration("d", 3_600_000, 0, 3_600_000, "m").defaultValue());
        assertEquals("0.8", SHARE.defaultValue());
        assertEquals("50", Setting.decimal("d", 50, 0, 100, "m").defaultValue());
        assertEquals("`10s`", WINDOW.defaultText());
        assertEquals("none", Setting.string("s", "", "m").defaultText());
        assertEquals("the host name", Setting.string("s", "", "m").defaultNote("the host name").defaultText());
    }

    @Test
    void aListKnowsItsKeysAndRefusesOthers() {
        Setting<Void> family = Setting.documentedOnly("agent.<key>", "as the agent's", "the agent's settings");
        SettingList list = SettingList.of(WINDOW, WORKERS).plus(SettingList.of(WORKERS, family));
        assertEquals(Set.of("window", "workers"), list.keys());
        assertEquals(3, list.all().size());
        ConfigException e = assertThrows(ConfigException.class,
                () -> list.requireOnlyKnown(ConfigValues.of(Map.of("widnow", "1s"))));
        assertEquals("widnow", e.key());
        assertTrue(e.getMessage().contains("is not a known setting (a typo?)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> list.plus(Setting.integer("window", 1, 1, 2, "another meaning")),
                "one key, one description");
    }

    @Test
    void helpIsAFileOfDefaultsAndTheTableHasARowPerSetting() throws Exception {
        SettingList list = SettingList.of(WINDOW, SHARE, Setting.string("id", "", "see [the agent](#the-agent)")
                .defaultNote("the host name"));
        String help = SettingsText.help(list);
        assertTrue(help.contains("# how far back\n#window=10s\n"), help);
        assertTrue(help.contains("# see the agent (default: the host name)\n#id=\n"), help);
        Path f = Files.createTempFile("help", ".properties");
        Files.writeString(f, help.replaceAll("(?m)^#(\\w+=)", "$1"));
        ConfigValues uncommented = ConfigValues.load(f, "help");
        assertEquals(10_000, WINDOW.read(uncommented));
        assertEquals(0.8, SHARE.read(uncommented));
        assertEquals("| key | default | meaning |\n|---|---|---|\n| `window` | `10s` | how far back |\n"
                + "| `share` | `0.8` | how much |\n| `id` | the host name | see [the agent](#the-agent) |\n",
                SettingsText.markdownTable(list));
    }

    @Test
    void theCommandLineTakesBothFlagFormsAndTheFileAndFlagsWin() throws Exception {
        Path f = Files.createTempFile("conf", ".properties");
        Files.writeString(f, "window=5s\nworkers=2\n");
        CommandLine cl = new CommandLine(Map.of("w", "workers"), Set.of("window", "workers"));
        CommandLine.Parsed p = cl.parse("--w", "3", "--config", f.toString(), "--window=7s");
        assertFalse(p.help());
        assertEquals(7_000, WINDOW.read(p.values()));
        assertEquals(3, WORKERS.read(p.values()), "a flag wins over the file wherever it stands");
        assertTrue(cl.parse("--window=1s", "--help").help());
        assertTrue(cl.parse("-h").help());
    }

    @Test
    void badArgumentsAreNamed() {
        CommandLine cl = new CommandLine(Map.of("w", "workers"), Set.of("window", "workers"));
        ConfigException notOption = assertThrows(ConfigException.class, () -> cl.parse("window=1s"));
        assertEquals("window=1s", notOption.key());
        assertTrue(notOption.getMessage().contains("is not an option; expected --config FILE"), notOption.getMessage());
        assertEquals("--window", assertThrows(ConfigException.class, () -> cl.parse("--window")).key());
        ConfigException unknown = assertThrows(ConfigException.class, () -> cl.parse("--widnow=1s"));
        assertEquals("--widnow", unknown.key());
        assertTrue(unknown.getMessage().contains("known keys are [window, workers] and the short forms [w]"),
                unknown.getMessage());
        assertEquals("--config", assertThrows(ConfigException.class,
                () -> cl.parse("--config", "/no/such/file")).key());
        CommandLine open = new CommandLine(Map.of(), null);
        assertEquals("1s", open.parse("--anything=1s").values().string("anything", ""),
                "without a key list the reader of the settings checks the keys");
    }
}
