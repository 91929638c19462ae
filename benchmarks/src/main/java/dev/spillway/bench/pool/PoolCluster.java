package dev.spillway.bench.pool;

import dev.spillway.demo.Home;
import dev.spillway.demo.WebServerMain;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The processes of one row of the pool benchmark: web servers (the demo's {@link WebServerMain} with the sample WAR,
 * the filter and its embedded agent, one JVM each) and the manager JAR with the shipped
 * {@code conf/manager.properties} plus flags. A server listed in {@code spares} runs with {@code
 * agent.host.spare=true}: it joins the manager's pool by registering. Every filter lists every server as a peer.
 * Public for the page-cache benchmark, which starts the same cluster with a setting added to one server's file.
 */
public final class PoolCluster implements AutoCloseable {
    static final String CONTEXT = "/shop";

    private final Path runDir;
    private final String name;
    private final Map<String, String> baseUrls = new LinkedHashMap<>();
    private final Map<String, Integer> jmxPorts = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final Thread stopOnExit = new Thread(this::stopAll, "pool-cluster-stop");
    private Process manager;
    private Path managerLog;
    private int dashboardPort;
    private List<String> managerCommand = List.of();

    private PoolCluster(Path runDir, String name) {
        this.runDir = runDir;
        this.name = name;
    }

    /**
     * Starts the manager and the servers and waits until every server answers and has registered.
     *
     * @param managerFlags flags on top of the shipped configuration (they win over the file)
     */
    static PoolCluster start(Home home, Path runDir, String name, List<String> ids, List<String> spares,
            int workers, Path managerConf, List<String> managerFlags) throws IOException, InterruptedException {
        return start(home, runDir, name, ids, spares, workers, managerConf, managerFlags, Map.of());
    }

    /**
     * As above, with {@code filterLines}: server id → properties lines appended to that server's filter/agent file
     * (e.g. {@code "pageCacheKb = 1024\n"}).
     */
    public static PoolCluster start(Home home, Path runDir, String name, List<String> ids, List<String> spares,
            int workers, Path managerConf, List<String> managerFlags, Map<String, String> filterLines)
            throws IOException, InterruptedException {
        Files.createDirectories(runDir);
        PoolCluster c = new PoolCluster(runDir, name);
        Runtime.getRuntime().addShutdownHook(c.stopOnExit);
        try {
            int managerJmx = freePort();
            c.startManager(home, managerConf, managerJmx, managerFlags);
            Map<String, int[]> ports = new LinkedHashMap<>();
            for (String id : ids) {
                ports.put(id, new int[] {freePort(), freePort()});
            }
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            Path logging = runDir.resolve("logging.properties");
            copyLogging(logging);
            List<Process> started = new ArrayList<>();
            for (String id : ids) {
                int[] p = ports.get(id);
                String peers = ids.stream().filter(o -> !o.equals(id))
                        .map(o -> o + "=http://127.0.0.1:" + ports.get(o)[0] + CONTEXT)
                        .collect(Collectors.joining(", "));
                String conf = "# Written by the pool benchmark: only what a cluster needs; the rest at defaults.\n"
                        + "peers = " + peers + "\nhopSecret = " + secret + "\nagent = embedded\n"
                        + "agent.host.id = " + id + "\nagent.host.web-base-url = http://127.0.0.1:" + p[0] + CONTEXT
                        + "\nagent.jmx.port = " + p[1] + "\nagent.manager.url = service:jmx:rmi:///jndi/rmi://"
                        + "127.0.0.1:" + managerJmx + "/jmxrmi\n" + (spares.contains(id) ? "agent.host.spare = true\n"
                        : "") + filterLines.getOrDefault(id, "");
                Path file = runDir.resolve(name + "-" + id + ".properties");
                Files.writeString(file, conf);
                List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1", "-Dspillway.host=" + id, "-Dspillway.config=" + file));
                if (Files.exists(logging)) {
                    cmd.add("-Djava.util.logging.config.file=" + logging);
                }
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WebServerMain.class.getName(),
                        "--war", home.war().toString(), "--port", String.valueOf(p[0]), "--context", CONTEXT,
                        "--threads", String.valueOf(workers)));
                started.add(c.launch(cmd, runDir.resolve(name + "-" + id + ".log")));
                c.baseUrls.put(id, "http://127.0.0.1:" + p[0] + CONTEXT);
                c.jmxPorts.put(id, p[1]);
            }
            for (int i = 0; i < ids.size(); i++) {
                awaitLine(started.get(i), runDir.resolve(name + "-" + ids.get(i) + ".log"), "READY ", 120_000,
                        "server " + ids.get(i));
            }
            awaitLine(c.manager, c.managerLog, "spillway-manager: dashboard", 60_000, "the manager");
            c.awaitRegistered(ids);
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void startManager(Home home, Path shipped, int jmxPort, List<String> flags) throws IOException {
        Path conf = runDir.resolve(name + "-manager.properties");
        Files.copy(shipped, conf, StandardCopyOption.REPLACE_EXISTING);
        dashboardPort = freePort();
        Path logging = runDir.resolve("logging.properties");
        copyLogging(logging);
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        if (Files.exists(logging)) {
            cmd.add("-Djava.util.logging.config.file=" + logging);
        }
        cmd.addAll(List.of("-javaagent:" + home.parentWatchJar(), "-jar", home.managerJar().toString(),
                "--config", conf.toString(), "--http.port=" + dashboardPort, "--jmx.port=" + jmxPort));
        cmd.addAll(flags);
        managerCommand = List.copyOf(cmd);
        managerLog = runDir.resolve(name + "-manager.log");
        manager = launch(cmd, managerLog);
    }

    private Process launch(List<String> cmd, Path log) throws IOException {
        // standard input stays an open pipe never written: the children exit when it ends (this JVM died)
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private static void awaitLine(Process p, Path log, String prefix, long timeoutMillis, String what)
            throws IOException, InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
                return;
            }
            if (!p.isAlive() || System.currentTimeMillis() > end) {
                throw new IOException(what + (!p.isAlive() ? " exited (status " + p.exitValue() + ")"
                        : " did not start within " + timeoutMillis / 1000 + " s") + "; see " + log);
            }
            Thread.sleep(100);
        }
    }

    private void awaitRegistered(List<String> ids) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.currentTimeMillis() + 60_000;
        String json = "";
        while (System.currentTimeMillis() < end) {
            try {
                json = http.send(HttpRequest.newBuilder(URI.create(dashboardUrl() + "api/hosts"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
                String body = json;
                if (ids.stream().allMatch(id -> body.contains("\"id\":\"" + id + "\""))) {
                    return;
                }
            } catch (IOException e) {
                json = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IOException("the agents did not register within 60 s: " + json + "; see " + runDir);
    }

    public String dashboardUrl() {
        return "http://127.0.0.1:" + dashboardPort + "/";
    }

    public Map<String, String> baseUrls() {
        return baseUrls;
    }

    /** Server id → its embedded agent's JMX port on loopback (no JMX users: the product allows none there). */
    public Map<String, Integer> jmxPorts() {
        return jmxPorts;
    }

    public List<String> managerCommand() {
        return managerCommand;
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down
        }
    }

    private synchronized void stopAll() {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    private static void copyLogging(Path file) throws IOException {
        try (InputStream in = PoolCluster.class.getResourceAsStream("/dev/spillway/demo/conf/logging.properties")) {
            if (in != null) {
                Files.write(file, in.readAllBytes());
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
