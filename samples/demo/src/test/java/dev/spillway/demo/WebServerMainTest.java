package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The demo's web-server processes (Jetty's and Tomcat's launchers) refuse a bad argument with a FAILED line naming it,
 * and exit status 2.
 */
class WebServerMainTest {
    private static String run(int expectedExit, String... args) throws IOException, InterruptedException {
        return run(WebServerMain.class.getName(), expectedExit, args);
    }

    private static String run(String launcher, int expectedExit, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), launcher));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running: " + out);
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }

    @Test
    void aBadArgumentIsNamed() throws Exception {
        String port = run(2, "--war", "x.war", "--port", "eighty");
        assertTrue(port.startsWith("FAILED port = 'eighty' is not valid; expected a whole number from 0 to 65535"),
                port);
        String unknown = run(2, "--wra", "x.war");
        assertTrue(unknown.startsWith("FAILED --wra: is not a known option"), unknown);
        String noWar = run(1, "--port", "0");
        assertTrue(noWar.startsWith("FAILED no WAR at '' (--war)"), noWar);
    }

    @Test
    void tomcatsLauncherNamesABadArgumentToo() throws Exception {
        String launcher = "dev.spillway.demo.TomcatServerMain";
        String port = run(launcher, 2, "--war", "x.war", "--port", "eighty");
        assertTrue(port.startsWith("FAILED port = 'eighty' is not valid; expected a whole number from 0 to 65535"),
                port);
        String noWar = run(launcher, 1, "--port", "0");
        assertTrue(noWar.startsWith("FAILED no WAR at '' (--war)"), noWar);
        String help = run(launcher, 0, "--help");
        assertTrue(help.startsWith("Usage: TomcatServerMain --war FILE"), help);
    }
}
