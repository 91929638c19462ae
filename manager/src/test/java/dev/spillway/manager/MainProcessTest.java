package dev.spillway.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code Main} as its own process, as {@code java -jar spillway-manager.jar} runs it: it stays up until SIGTERM. */
class MainProcessTest {
    @Test
    void runsUntilSigtermAndAnswersMeanwhile() throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--http.port=0", "--jmx.port=0"))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern banner = Pattern.compile("spillway-manager: dashboard (http://\\S+)/ ");
            String url = null;
            for (String line; url == null && (line = out.readLine()) != null; ) {
                Matcher m = banner.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertTrue(url != null, "no start-up line; exit " + (p.isAlive() ? "none" : p.exitValue()));
            // Wait until main() is past run() and parked for good (the old bug: it returned, and the JVM exited).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String threads = "";
            while (p.isAlive() && !mainIsParked(threads) && System.nanoTime() < deadline) {
                threads = threadDump(p.pid());
            }
            assertTrue(p.isAlive(), "the manager exited after starting: " + (p.isAlive() ? "" : p.exitValue()));
            assertTrue(mainIsParked(threads), "main() never reached its wait; last thread dump:\n" + threads);
            HttpResponse<String> hosts = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/hosts"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hosts.statusCode());
            p.destroy();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "SIGTERM stops it");
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean mainIsParked(String threadDump) {
        int main = threadDump.indexOf("\"main\"");
        if (main < 0) {
            return false;
        }
        int end = threadDump.indexOf("\n\n", main);
        String stack = threadDump.substring(main, end < 0 ? threadDump.length() : end);
        return stack.contains("CountDownLatch.await") && stack.contains(Main.class.getName() + ".main");
    }

    private static String threadDump(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), "Thread.print").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
