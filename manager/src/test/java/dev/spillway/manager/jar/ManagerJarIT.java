package dev.spillway.manager.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The manager's runnable jar ({@code java -jar spillway-manager.jar}) as built: its service registrations only name
 * classes a plain class loader finds, and no library in it takes over the JVM's host-name resolution. A dnsjava
 * provider registered in a jar that is not multi-release made {@code InetAddress.getLocalHost()} fail on JDK 25 with
 * "Provider org.xbill.DNS.spi.DnsjavaInetAddressResolverProvider not found" in every JVM that had the jar on its
 * class path.
 */
class ManagerJarIT {
    private static Path jar() {
        String p = System.getProperty("spillway.manager.jar");
        assertNotNull(p, "failsafe passes spillway.manager.jar");
        Path jar = Path.of(p);
        assertTrue(Files.isRegularFile(jar), jar + " missing");
        return jar;
    }

    @Test
    void noLibraryReplacesTheJvmsNameResolution() throws IOException {
        try (JarFile j = new JarFile(jar().toFile())) {
            assertEquals(null, j.getEntry("META-INF/services/java.net.spi.InetAddressResolverProvider"));
            assertEquals(null, j.getEntry("META-INF/services/sun.net.spi.nameservice.NameServiceDescriptor"));
        }
    }

    @Test
    void everyRegisteredServiceClassIsInTheJarWhereAClassLoaderLooks() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        try (JarFile j = new JarFile(jar().toFile())) {
            boolean multiRelease = j.isMultiRelease();
            for (JarEntry e : Collections.list(j.entries())) {
                if (!e.getName().startsWith("META-INF/services/") || e.isDirectory()) {
                    continue;
                }
                String text = new String(j.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    String provider = line.replaceAll("#.*", "").trim();
                    if (provider.isEmpty()) {
                        continue;
                    }
                    checked++;
                    String path = provider.replace('.', '/') + ".class";
                    if (j.getEntry(path) == null && !(multiRelease && versioned(j, path))) {
                        missing.add(e.getName() + " names " + provider);
                    }
                }
            }
        }
        assertTrue(checked > 0, "the jar registers services (Jetty's, Jackson's): something was checked");
        assertEquals(List.of(), missing);
    }

    private static boolean versioned(JarFile j, String path) {
        return Collections.list(j.entries()).stream().anyMatch(e -> e.getName().startsWith("META-INF/versions/")
                && e.getName().endsWith("/" + path));
    }
}
