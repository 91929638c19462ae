package dev.spillway.filter.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The built drop-in JAR (after {@code package}, so run by failsafe): our own classes only, under
 * {@code dev/spillway/}; the Jetty HTTP client and slf4j-api it carries all relocated under
 * {@code dev/spillway/shaded/}, service files included; and that relocated client starts from the JAR alone, with no
 * Jetty anywhere else on the class path (as in a Tomcat webapp).
 */
class FilterJarIT {
    private static Path jar() {
        String p = System.getProperty("spillway.filter.jar");
        assertNotNull(p, "failsafe passes spillway.filter.jar");
        Path jar = Path.of(p);
        assertTrue(Files.isRegularFile(jar), jar + " missing");
        return jar;
    }

    @Test
    void everyClassIsOursOrRelocatedAndNoServiceNamesAnUnrelocatedClass() throws IOException {
        List<String> foreign = new ArrayList<>();
        int shaded = 0;
        try (JarFile j = new JarFile(jar().toFile())) {
            for (JarEntry e : java.util.Collections.list(j.entries())) {
                String name = e.getName();
                if (name.endsWith(".class") && !name.startsWith("dev/spillway/")) {
                    foreign.add(name);
                }
                if (name.startsWith("dev/spillway/shaded/") && name.endsWith(".class")) {
                    shaded++;
                }
                if (name.startsWith("META-INF/services/") && !e.isDirectory()) {
                    String text = new String(j.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
                    if (!name.startsWith("META-INF/services/dev.spillway.") || text.contains("org.eclipse.jetty")
                            || text.contains("org.slf4j")) {
                        foreign.add(name + ": " + text.trim());
                    }
                }
            }
        }
        assertEquals(List.of(), foreign, "unrelocated classes or services in the filter JAR");
        assertTrue(shaded > 100, "the relocated Jetty client is missing (" + shaded + " classes)");
    }

    /** The scripted agent's test doubles (module spillway-scripted-agent) never reach a user's webapp. */
    @Test
    void noScriptedTestDoubleShips() throws IOException {
        List<String> doubles = new ArrayList<>();
        try (JarFile j = new JarFile(jar().toFile())) {
            for (JarEntry e : java.util.Collections.list(j.entries())) {
                String name = e.getName();
                String simple = name.substring(name.lastIndexOf('/') + 1);
                if (name.startsWith("dev/spillway/scripted/") || simple.startsWith("Scripted")
                        || simple.startsWith("LoadScript")) {
                    doubles.add(name);
                }
            }
        }
        assertEquals(List.of(), doubles, "scripted test doubles in the filter JAR");
    }

    /**
     * The shade plugin rewrites string constants that start with a relocated package, in our classes too: a probe
     * looking for the container's {@code org.eclipse.jetty...} classes by name would look for the relocated ones and
     * never find them. Class references are spelled with slashes, so a dotted relocated name in one of our classes
     * can only be such a rewritten string.
     */
    @Test
    void noneOfOurClassesNamesARelocatedClassByString() throws IOException {
        byte[] dotted = "dev.spillway.shaded.".getBytes(StandardCharsets.US_ASCII);
        List<String> rewritten = new ArrayList<>();
        try (JarFile j = new JarFile(jar().toFile())) {
            for (JarEntry e : java.util.Collections.list(j.entries())) {
                String name = e.getName();
                if (name.endsWith(".class") && name.startsWith("dev/spillway/")
                        && !name.startsWith("dev/spillway/shaded/")
                        && contains(j.getInputStream(e).readAllBytes(), dotted)) {
                    rewritten.add(name);
                }
            }
        }
        assertEquals(List.of(), rewritten, "string constants rewritten by the relocation (spell them at run time, "
                + "see JettyNames)");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void theRelocatedJettyClientStartsFromTheJarAlone() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> type = loader.loadClass("dev.spillway.shaded.jetty.client.HttpClient");
            Object client = type.getConstructor().newInstance();
            type.getMethod("start").invoke(client);
            type.getMethod("stop").invoke(client);
            assertEquals(loader, type.getClassLoader());
            // Its logging goes to System.Logger through our provider, not slf4j's no-op with a warning.
            Object factory = loader.loadClass("dev.spillway.shaded.slf4j.LoggerFactory")
                    .getMethod("getILoggerFactory").invoke(null);
            assertTrue(factory.getClass().getName().startsWith(
                    "dev.spillway.filter.forward.logging.SystemLoggerProvider"), factory.getClass().getName());
        }
    }
}
