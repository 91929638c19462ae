package dev.spillway.agent.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's main in a child JVM: bad configuration stops it with the key named. (The scripted agent's child-JVM
 * test, read and steered over JMX, is {@code ScriptedAgentMainTest} in the scripted-agent module.)
 */
class ChildJvmAgentTest {
    @TempDir
    Path dir;

    @Test
    void badConfigurationStopsStartWithTheKeyNamed() throws Exception {
        Path conf = dir.resolve("agent.properties");
        Files.writeString(conf, "sample.interval = 1000\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), AgentMain.class.getName(), "--config", conf.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("sample.interval") && out.contains("'1000'") && out.contains("unit"), out);
    }
}
