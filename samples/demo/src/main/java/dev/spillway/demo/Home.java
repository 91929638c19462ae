package dev.spillway.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the demo finds what it runs: {@code samples/demo/target}, which the build fills with the demo jar, the
 * sample WAR ({@code spillway-sample.war}), the manager's runnable jar ({@code spillway-manager.jar}) and the
 * parent-watch agent jar. Taken from {@code -Ddemo.home}, else the directory of the running demo jar (or of
 * {@code target/classes}).
 */
public record Home(Path dir, Path war, Path managerJar, Path parentWatchJar) {

    public static Home locate() {
        Path dir;
        String configured = System.getProperty("demo.home");
        if (configured != null) {
            dir = Path.of(configured);
        } else {
            try {
                Path self = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                dir = self.getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        Path war = need(dir.resolve("spillway-sample.war"));
        Path manager = need(dir.resolve("spillway-manager.jar"));
        Path watch;
        try (Stream<Path> s = Files.list(dir)) {
            watch = s.filter(p -> p.getFileName().toString().matches("spillway-demo-.*-parent-watch\\.jar"))
                    .findFirst().orElse(dir.resolve("spillway-demo-<version>-parent-watch.jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Home(dir, war, manager, need(watch));
    }

    private static Path need(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing " + p + ": build first, from the repository root: "
                    + "mvn -B -ntp -DskipTests package (or run ./demo.sh, which does)");
        }
        return p;
    }
}
