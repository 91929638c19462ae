package dev.spillway.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.core.Agent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The scripted test doubles stay out of the agent's build output (its JAR under {@code verify}, which the filter
 * JAR bundles; FilterJarIT checks the filter JAR itself): no scripted class, load script or stand-in filter.
 */
class NotShippedTest {
    private static boolean scripted(String entry) {
        String name = entry.substring(entry.lastIndexOf('/') + 1);
        return entry.startsWith("dev/spillway/scripted/") || name.startsWith("Scripted") || name.startsWith("LoadScript");
    }

    @Test
    void theAgentsBuildOutputHasNoScriptedClass() throws Exception {
        Path agent = Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> entries = new ArrayList<>();
        if (Files.isDirectory(agent)) {
            try (Stream<Path> files = Files.walk(agent)) {
                files.filter(Files::isRegularFile).forEach(f -> entries.add(agent.relativize(f).toString()
                        .replace('\\', '/')));
            }
        } else {
            try (JarFile jar = new JarFile(agent.toFile())) {
                Collections.list(jar.entries()).forEach(e -> entries.add(e.getName()));
            }
        }
        assertTrue(entries.contains("dev/spillway/agent/core/Agent.class"), agent + " holds the agent: " + entries);
        assertEquals(List.of(), entries.stream().filter(NotShippedTest::scripted).toList(),
                "scripted test doubles in " + agent);
    }
}
