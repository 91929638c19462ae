package dev.spillway.agent.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.core.AgentSettings;
import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The agent's command line: short forms, both flag forms, typos named, and a help that lists every setting. */
class AgentMainTest {
    @Test
    void shortFormsAndBothFlagFormsReachTheSettings() {
        ConfigValues c = AgentMain.parse(new String[] {"--port", "0", "--id=web-7", "--sample.interval=250ms"});
        AgentSettings s = AgentSettings.from(c);
        assertEquals(0, s.jmx().port());
        assertEquals("web-7", s.hostId());
        assertEquals(250, s.sampleInterval().toMillis());
        assertNull(AgentMain.parse(new String[] {"--help"}));
    }

    @Test
    void aMistypedFlagIsNamedWithTheShortForms() {
        ConfigException e = assertThrows(ConfigException.class, () -> AgentMain.parse(new String[] {"--prot", "1"}));
        assertEquals("--prot", e.key());
        assertTrue(e.getMessage().contains("is not a known option") && e.getMessage().contains("short forms"),
                e.getMessage());
    }

    @Test
    void helpListsEverySettingWithItsDefault() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentMain.usage(new PrintStream(out, true, StandardCharsets.UTF_8));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String key : AgentSettings.keys()) {
            assertTrue(help.contains("\n#" + key + "="), "--help lacks " + key + ":\n" + help);
        }
        assertTrue(help.contains("#sample.interval=1s\n") && help.contains("#jmx.port=9010\n"), help);
    }
}
