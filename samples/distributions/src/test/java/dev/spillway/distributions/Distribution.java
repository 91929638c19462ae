package dev.spillway.distributions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real server distribution unpacked by the build (jetty-home, Tomcat), started as its users start it, with the
 * sample WAR copied unchanged into its webapps folder as {@code shop.war} (context {@code /shop}).
 */
enum Distribution {
    JETTY_12("jetty.home.name", "jetty-thread-pool"),
    TOMCAT_11("tomcat11.home.name", "tomcat-executor"),
    TOMCAT_10("tomcat10.home.name", "tomcat-executor");

    static final Path DIST = Path.of(System.getProperty("dist.dir", "target/dist"));

    private final String homeProperty;
    /** The queue-length source the filter should find in this container. */
    final String queueSource;

    Distribution(String homeProperty, String queueSource) {
        this.homeProperty = homeProperty;
        this.queueSource = queueSource;
    }

    Path home() {
        return DIST.resolve(System.getProperty(homeProperty));
    }

    /**
     * Lays out a fresh base directory (the distribution itself stays untouched), deploys the WAR and starts the
     * server on {@code port} with {@code -Dspillway.config=config -Dspillway.host=host}.
     */
    RunningServer start(Path base, int port, Path config, String host) throws IOException {
        Files.createDirectories(base.resolve("webapps"));
        Files.copy(DIST.resolve("shop.war"), base.resolve("webapps/shop.war"), StandardCopyOption.REPLACE_EXISTING);
        Path log = base.resolve("server.log");
        List<String> sysProps = List.of("-Dspillway.config=" + config, "-Dspillway.host=" + host);
        ProcessBuilder pb = this == JETTY_12 ? jetty(base, port, sysProps) : tomcat(base, port, sysProps);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return new RunningServer(this + " " + host, pb.start(), port, log);
    }

    private ProcessBuilder jetty(Path base, int port, List<String> sysProps) throws IOException {
        Path startJar = home().resolve("start.jar");
        run(new ProcessBuilder(java(), "-jar", startJar.toString(), "--add-modules=http,ee10-deploy")
                .directory(base.toFile()));
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m"));
        cmd.addAll(sysProps);
        cmd.addAll(List.of("-jar", startJar.toString(), "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
        return new ProcessBuilder(cmd).directory(base.toFile());
    }

    // CATALINA_BASE holds this server's conf, logs and webapps; CATALINA_HOME stays the pristine distribution.
    private ProcessBuilder tomcat(Path base, int port, List<String> sysProps) throws IOException {
        Path conf = Files.createDirectories(base.resolve("conf"));
        try (Stream<Path> files = Files.list(home().resolve("conf"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, conf.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        String serverXml = Files.readString(conf.resolve("server.xml"))
                .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replace("<Connector port=\"8080\"", "<Connector address=\"127.0.0.1\" port=\"" + port + "\"");
        Files.writeString(conf.resolve("server.xml"), serverXml);
        for (String dir : List.of("logs", "temp", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        ProcessBuilder pb = new ProcessBuilder("bash", home().resolve("bin/catalina.sh").toString(), "run");
        pb.environment().put("CATALINA_HOME", home().toString());
        pb.environment().put("CATALINA_BASE", base.toString());
        pb.environment().put("CATALINA_OPTS", "-Xmx256m " + String.join(" ", sysProps));
        return pb.directory(base.toFile());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void run(ProcessBuilder pb) throws IOException {
        try {
            Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IOException(pb.command() + " exited with " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
