package dev.spillway.bench.cluster;

import dev.spillway.demo.Cluster;
import dev.spillway.demo.FreePorts;
import dev.spillway.demo.Home;
import dev.spillway.demo.WebServerMain;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The processes of one benchmark row: web servers (each its own JVM: the demo's {@link WebServerMain}, the sample
 * WAR unchanged, the filter and its embedded agent) and, when the row has one, the manager JAR as it is, with the
 * shipped {@code conf/manager.properties} and flags on top. Used by the hotspot, pool and page-cache benchmarks.
 *
 * <p>At default settings: a server's filter/agent file holds only what a cluster cannot do without (peers — every
 * other server —, the hop secret, the agent's host id, address and JMX port, and the manager's URL when there is a
 * manager), plus the lines the {@link Layout} adds. No JMX users: every connector is on loopback, where the product
 * allows none. A row without a manager has servers that name none: the filter then never moves a request.
 */
public final class BenchCluster implements AutoCloseable {
    public static final String CONTEXT = "/shop";
    static final String LOGGING = "/dev/spillway/demo/conf/logging.properties";

    /**
     * The web container every server of a row runs: the demo's embedded Jetty 12 launcher ({@link WebServerMain}) or
     * its embedded Tomcat 11 twin ({@code TomcatServerMain}); both deploy the same sample WAR unchanged, its web.xml
     * registering the filter, with {@code --threads} workers. Tomcat's jars are not in the demo's jar (they carry the
     * Servlet 6.1 API, and the Jetty servers run on 6.0): they come from the demo's {@code tomcat-lib/}, put in front.
     */
    public enum Container {
        JETTY(WebServerMain.class.getName()), TOMCAT("dev.spillway.demo.TomcatServerMain");

        static final String TOMCAT_LIB = "tomcat-lib";
        private final String launcher;

        Container(String launcher) {
            this.launcher = launcher;
        }

        /** A server's class path: this JVM's, with Tomcat's jars in front for Tomcat. */
        String classPath(Home home) throws IOException {
            String own = System.getProperty("java.class.path");
            if (this == JETTY) {
                return own;
            }
            Path lib = home.dir().resolve(TOMCAT_LIB);
            Path core = lib.resolve("tomcat-embed-core.jar");
            if (!Files.isRegularFile(core)) {
                throw new IOException("no " + core + " (built by mvn package in samples/demo): --container tomcat"
                        + " needs it");
            }
            return core + java.io.File.pathSeparator + lib.resolve("tomcat-annotations-api.jar")
                    + java.io.File.pathSeparator + own;
        }

        /** The Tomcat jar's version (its manifest), or "?" when it cannot be read. */
        public static String tomcatVersion(Home home) {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(
                    home.dir().resolve(TOMCAT_LIB).resolve("tomcat-embed-core.jar").toFile())) {
                String v = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
                return v == null ? "?" : v;
            } catch (IOException | RuntimeException e) {
                return "?";
            }
        }

        /** "jetty" or "tomcat". */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** jetty or tomcat (any case); null for anything else. */
        public static Container of(String name) {
            for (Container c : values()) {
                if (c.label().equalsIgnoreCase(name.trim())) {
                    return c;
                }
            }
            return null;
        }
    }

    /** A server: its id, web port, agent JMX port, process. */
    public record Server(String id, int port, int jmxPort, Process process) {
        public String baseUrl() {
            return "http://127.0.0.1:" + port + CONTEXT;
        }
    }

    /**
     * What a row starts.
     *
     * @param workers      worker threads per server id, in the order the servers are started
     * @param managerFlags flags on top of {@code managerConf} (they win over the file); null: no manager
     * @param managerConf  the shipped conf/manager.properties (copied into the run directory as it is)
     * @param spares       servers whose agents register as spares ({@code agent.host.spare = true})
     * @param everyServer  properties lines added to every server's file (a row's filter settings), or ""
     * @param perServer    server id to lines added to that server's file only
     * @param confine      puts a server's process into its CPU group the moment it is started (as a container
     *                     starts in its cgroup), so that its JVM starts under the quota and its filter and agent find
     *                     the group at their first look; null for none
     * @param writtenBy    which benchmark wrote the files (their first line says so)
     * @param container    the web container of every server
     */
    public record Layout(Map<String, Integer> workers, List<String> managerFlags, Path managerConf,
                         List<String> spares, String everyServer, Map<String, String> perServer, Confine confine,
                         String writtenBy, Container container) {
        public Layout(Map<String, Integer> workers, List<String> managerFlags, Path managerConf, List<String> spares,
                      String everyServer, Map<String, String> perServer, Confine confine, String writtenBy) {
            this(workers, managerFlags, managerConf, spares, everyServer, perServer, confine, writtenBy,
                    Container.JETTY);
        }

        /** Servers of {@code workers} each, named {@code ids}; no manager, spares, extra lines or confinement. */
        public static Layout of(List<String> ids, int workers, String writtenBy) {
            Map<String, Integer> w = new LinkedHashMap<>();
            ids.forEach(id -> w.put(id, workers));
            return new Layout(w, null, null, List.of(), "", Map.of(), null, writtenBy);
        }

        public Layout withManager(Path conf, List<String> flags) {
            return new Layout(workers, List.copyOf(flags), conf, spares, everyServer, perServer, confine, writtenBy,
                    container);
        }

        public Layout withSpares(List<String> ids) {
            return new Layout(workers, managerFlags, managerConf, List.copyOf(ids), everyServer, perServer, confine,
                    writtenBy, container);
        }

        public Layout withLines(String every, Map<String, String> byServer) {
            return new Layout(workers, managerFlags, managerConf, spares, every, Map.copyOf(byServer), confine,
                    writtenBy, container);
        }

        public Layout withConfine(Confine c) {
            return new Layout(workers, managerFlags, managerConf, spares, everyServer, perServer, c, writtenBy,
                    container);
        }

        public Layout withContainer(Container c) {
            return new Layout(workers, managerFlags, managerConf, spares, everyServer, perServer, confine, writtenBy,
                    c);
        }

        List<String> ids() {
            return List.copyOf(workers.keySet());
        }
    }

    private final Path runDir;
    private final String name;
    private final Map<String, Server> servers = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final Thread stopOnExit = new Thread(this::stopAll, "bench-cluster-stop");
    private Process manager;
    private Path managerLog;
    private int dashboardPort;
    private List<String> managerCommand = List.of();

    private BenchCluster(Path runDir, String name) {
        this.runDir = runDir;
        this.name = name;
    }

    /**
     * Starts the manager (when the layout has one) and the servers, all at once, and waits until every server is up
     * and, with a manager, registered.
     *
     * @param name prefix of the logs and files in {@code runDir} (e.g. "s1-r1-redirect")
     */
    public static BenchCluster start(Home home, Path runDir, String name, Layout layout)
            throws IOException, InterruptedException {
        // A port picked free can still be bound by another process before the child binds it (tests or another
        // program on the machine pick from the same range): start everything again on new ports, as the demo does.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(home, runDir, name, layout);
            } catch (IOException e) {
                if (attempt == Cluster.PORT_ATTEMPTS || !Cluster.portTaken(e)) {
                    throw e;
                }
            }
        }
    }

    private static BenchCluster startOnce(Home home, Path runDir, String name, Layout layout)
            throws IOException, InterruptedException {
        Files.createDirectories(runDir);
        BenchCluster c = new BenchCluster(runDir, name);
        Runtime.getRuntime().addShutdownHook(c.stopOnExit);
        List<String> ids = layout.ids();
        boolean withManager = layout.managerFlags() != null;
        try {
            int managerJmx = FreePorts.pick();
            if (withManager) {
                c.startManager(home, layout.managerConf(), layout.managerFlags(), managerJmx);
            }
            Map<String, int[]> ports = new LinkedHashMap<>();
            for (String id : ids) {
                ports.put(id, new int[] {FreePorts.pick(), FreePorts.pick()});
            }
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            Path logging = runDir.resolve("logging.properties");
            writeLogging(logging);
            for (String id : ids) {
                int[] p = ports.get(id);
                String peers = ids.stream().filter(o -> !o.equals(id))
                        .map(o -> o + "=http://127.0.0.1:" + ports.get(o)[0] + CONTEXT).collect(Collectors.joining(", "));
                StringBuilder conf = new StringBuilder()
                        .append("# Written by the ").append(layout.writtenBy())
                        .append(": only what a cluster needs; every other key at its default.\n")
                        .append("peers = ").append(peers).append('\n')
                        .append("hopSecret = ").append(secret).append('\n')
                        .append("agent = embedded\n")
                        .append("agent.host.id = ").append(id).append('\n')
                        .append("agent.host.web-base-url = http://127.0.0.1:").append(p[0]).append(CONTEXT).append('\n')
                        .append("agent.jmx.port = ").append(p[1]).append('\n');
                if (layout.spares().contains(id)) {
                    conf.append("agent.host.spare = true\n");
                }
                conf.append(layout.everyServer()).append(layout.perServer().getOrDefault(id, ""));
                if (withManager) {
                    conf.append("agent.manager.url = service:jmx:rmi:///jndi/rmi://127.0.0.1:").append(managerJmx)
                            .append("/jmxrmi\n");
                }
                Path file = runDir.resolve(name + "-" + id + ".properties");
                Files.writeString(file, conf);
                List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1", "-Dspillway.host=" + id, "-Dspillway.config=" + file));
                if (Files.exists(logging)) {
                    cmd.add("-Djava.util.logging.config.file=" + logging);
                }
                cmd.addAll(List.of("-cp", layout.container().classPath(home), layout.container().launcher,
                        "--war", home.war().toString(), "--port", String.valueOf(p[0]), "--context", CONTEXT,
                        "--threads", String.valueOf(layout.workers().get(id))));
                Process proc = c.launch(cmd, runDir.resolve(name + "-" + id + ".log"));
                if (layout.confine() != null) {
                    layout.confine().confine(id, proc.pid());
                }
                c.servers.put(id, new Server(id, p[0], p[1], proc));
            }
            for (String id : ids) {
                awaitLine(c.servers.get(id).process(), runDir.resolve(name + "-" + id + ".log"), "READY ", 120_000,
                        "server " + id);
            }
            if (withManager) {
                awaitLine(c.manager, c.managerLog, "spillway-manager: dashboard", 60_000, "the manager");
                c.awaitRegistered(ids);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Puts server {@code id}'s process into its CPU group. */
    public interface Confine {
        void confine(String id, long pid) throws IOException;
    }

    private void startManager(Home home, Path shipped, List<String> flags, int jmxPort) throws IOException {
        Path conf = runDir.resolve(name + "-manager.properties");
        // A copy as it is; the ports and the row's flags (e.g. its offload.mode) win over the file.
        Files.copy(shipped, conf, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        dashboardPort = FreePorts.pick();
        Path logging = runDir.resolve("logging.properties");
        writeLogging(logging);
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
        // Standard input stays an open pipe that is never written: the children exit when it ends (this JVM died).
        // Under nice: the load client (this JVM) stands for the users' machines and must not queue behind them.
        // nice execs the command, so the process (its pid for cgroups and kill -STOP) is the JVM itself.
        Process p = new ProcessBuilder(ServerPriority.command(cmd)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
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
            String failed = lines.stream().filter(l -> l.startsWith("FAILED ")).findFirst().orElse(null);
            if (failed != null || !p.isAlive() || System.currentTimeMillis() > end) {
                throw new IOException(what + (failed != null ? " could not start: " + failed
                        : !p.isAlive() ? " exited (status " + p.exitValue() + ")"
                        : " did not start within " + timeoutMillis / 1000 + " s") + "; see " + log + tail(lines));
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
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(dashboardUrl() + "api/hosts"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                json = r.body();
                String body = json;
                if (r.statusCode() == 200 && ids.stream().allMatch(id -> body.contains("\"id\":\"" + id + "\""))) {
                    return;
                }
            } catch (IOException e) {
                json = e.toString();
            }
            if (!manager.isAlive()) {
                throw new IOException("the manager exited (status " + manager.exitValue() + "); see " + managerLog);
            }
            Thread.sleep(200);
        }
        throw new IOException("the agents did not register with the manager within 60 s: " + json + "; see "
                + runDir);
    }

    public String dashboardUrl() {
        return "http://127.0.0.1:" + dashboardPort + "/";
    }

    public Server server(String id) {
        return servers.get(id);
    }

    public Map<String, String> baseUrls() {
        Map<String, String> m = new LinkedHashMap<>();
        servers.values().forEach(s -> m.put(s.id(), s.baseUrl()));
        return m;
    }

    /** Server id to its web port. */
    public Map<String, Integer> ports() {
        Map<String, Integer> m = new LinkedHashMap<>();
        servers.values().forEach(s -> m.put(s.id(), s.port()));
        return m;
    }

    /** Server id to its embedded agent's JMX port on loopback (no JMX users: the product allows none there). */
    public Map<String, Integer> jmxPorts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        servers.values().forEach(s -> m.put(s.id(), s.jmxPort()));
        return m;
    }

    /** The manager's command line (empty without one), for the report. */
    public List<String> managerCommand() {
        return managerCommand;
    }

    /** Stops every process (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
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

    private static void writeLogging(Path file) throws IOException {
        try (InputStream in = BenchCluster.class.getResourceAsStream(LOGGING)) {
            if (in != null) {
                Files.write(file, in.readAllBytes());
            }
        }
    }

    private static String tail(List<String> lines) {
        return lines.isEmpty() ? "" : "\n  | " + String.join("\n  | ", lines.subList(Math.max(0, lines.size() - 8),
                lines.size()));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
