package dev.spillway.demo;

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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's processes: three web servers (a, b, c; each its own JVM running {@link WebServerMain} with the sample
 * WAR, the filter and an embedded agent) and the manager (its own jar, unchanged, in its own JVM). Writes each
 * server's filter settings from {@code conf/demo/web.properties} into the run directory, and uses
 * {@code conf/demo/manager.properties} as it is. Every process it starts is stopped by {@link #close()}, and dies by
 * itself if this JVM dies.
 */
public final class Cluster implements AutoCloseable {
    public static final List<String> IDS = List.of("a", "b", "c");
    public static final String CONTEXT = "/shop";
    static final String CONF = "/dev/spillway/demo/conf/";

    /** Offloading off: the manager polls and shows everything, and sends nothing (offload.enabled=false). */
    static final List<String> WATCH_ONLY = List.of("--offload.enabled=false");

    /** One web server. */
    public record Server(String id, int port, int agentJmxPort, Child process) {
        public String baseUrl() {
            return "http://127.0.0.1:" + port + CONTEXT;
        }

        public String agentJmxUrl() {
            return "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + agentJmxPort + "/jmxrmi";
        }
    }

    /**
     * @param dashboardPort the manager's HTTP port (0: any free one)
     * @param workerThreads Jetty worker threads per server
     * @param managerFlags  extra manager flags for every start (e.g. --offload.mode=PROXY)
     */
    public record Settings(Path runDir, int dashboardPort, int workerThreads, List<String> managerFlags) {
    }

    private final Home home;
    private final Settings settings;
    private final Map<String, Server> servers = new LinkedHashMap<>();
    private final int dashboardPort;
    private final int managerJmxPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread stopOnExit = new Thread(this::closeQuietly, "demo-cluster-stop");
    private JmxUsers jmxUsers;
    private Child manager;
    private int managerStarts;
    private volatile List<String> managerCommand = List.of();

    private Cluster(Home home, Settings settings, int dashboardPort, int managerJmxPort) {
        this.home = home;
        this.settings = settings;
        this.dashboardPort = dashboardPort;
        this.managerJmxPort = managerJmxPort;
    }

    /** Starts the three web servers (in parallel) and waits until each has its webapp up. */
    public static Cluster start(Home home, Settings s) throws IOException, InterruptedException {
        return start(home, s, Map.of(), List.of());
    }

    /**
     * As {@link #start(Home, Settings)}, with a worker thread count of its own for some servers (id → threads;
     * the others get {@link Settings#workerThreads()}): a server with fewer threads has less capacity. {@code jvmFlags}
     * go to every server's JVM (e.g. {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=2}).
     */
    public static Cluster start(Home home, Settings s, Map<String, Integer> threadsById, List<String> jvmFlags)
            throws IOException, InterruptedException {
        Files.createDirectories(s.runDir());
        int dashboard = s.dashboardPort() == 0 ? freePort() : s.dashboardPort();
        Cluster c = new Cluster(home, s, dashboard, freePort());
        Runtime.getRuntime().addShutdownHook(c.stopOnExit);
        try {
            c.jmxUsers = JmxUsers.install(s.runDir());
            Map<String, int[]> ports = new LinkedHashMap<>();
            for (String id : IDS) {
                ports.put(id, new int[] {freePort(), freePort()});
            }
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            String template = resource("web.properties");
            Path logging = s.runDir().resolve("logging.properties");
            Files.writeString(logging, resource("logging.properties"));
            for (String id : IDS) {
                int[] p = ports.get(id);
                List<String> peers = new ArrayList<>();
                for (String other : IDS) {
                    if (!other.equals(id)) {
                        peers.add(other + "=http://127.0.0.1:" + ports.get(other)[0] + CONTEXT);
                    }
                }
                String text = fill(c.withJmxUsers(template), Map.of("peers", String.join(", ", peers), "hopSecret", secret,
                        "id", id, "webBaseUrl", "http://127.0.0.1:" + p[0] + CONTEXT,
                        "agentJmxPort", String.valueOf(p[1]), "managerJmxUrl", c.managerJmxUrl()));
                Path file = s.runDir().resolve(id + ".properties");
                JmxUsers.writeOwnerOnly(file, text);
                List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1", "-Djava.util.logging.config.file=" + logging, "-Dspillway.host=" + id, "-Dspillway.config=" + file));
                cmd.addAll(jvmFlags);
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WebServerMain.class.getName(),
                        "--war", home.war().toString(), "--port", String.valueOf(p[0]), "--context", CONTEXT,
                        "--threads", String.valueOf(threadsById.getOrDefault(id, s.workerThreads()))));
                Child child = Child.start("server " + id, cmd, s.runDir().resolve(id + ".log"), "READY ");
                c.servers.put(id, new Server(id, p[0], p[1], child));
            }
            for (Server srv : c.servers.values()) {
                srv.process().awaitReady(90_000);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.closeQuietly();
            throw e;
        }
        return c;
    }

    /**
     * Starts the manager with {@code conf/demo/manager.properties}; {@code watchOnly} adds {@link #WATCH_ONLY}. Waits
     * until its dashboard answers and every running server's agent has registered.
     */
    public void startManager(boolean watchOnly, String... moreFlags) throws IOException, InterruptedException {
        Path conf = settings.runDir().resolve("manager.properties");
        JmxUsers.writeOwnerOnly(conf, fill(withJmxUsers(resource("manager.properties")), Map.of()));
        launchManager(List.of("--config", conf.toString()), watchOnly, moreFlags);
    }

    /**
     * Starts the manager with its built-in defaults: a {@code --config} file with only the demo's JMX users, the
     * ports, the settings' manager flags and {@code moreFlags}. For measurements "at default settings" (conf/demo/manager.properties
     * tunes the manager for a one-minute demo). Waits as {@link #startManager} does.
     */
    public void startManagerWithDefaults(String... moreFlags) throws IOException, InterruptedException {
        // Only the JMX users differ from the defaults: the demo's agents let no one in without one.
        Path conf = settings.runDir().resolve("manager-defaults.properties");
        JmxUsers.writeOwnerOnly(conf, fill(withJmxUsers(MANAGER_JMX_USERS), Map.of()));
        launchManager(List.of("--config", conf.toString()), false, moreFlags);
    }

    /** The JMX part of conf/demo/manager.properties, for a manager otherwise at its defaults. */
    private static final String MANAGER_JMX_USERS = String.join("\n",
            "jmx.password.file={{jmxPasswordFile}}", "jmx.access.file={{jmxAccessFile}}",
            "agent.jmx.user=" + JmxUsers.CONTROLLER, "agent.jmx.password={{operatorPassword}}", "");

    private void launchManager(List<String> configArgs, boolean watchOnly, String... moreFlags)
            throws IOException, InterruptedException {
        if (manager != null && manager.isAlive()) {
            throw new IllegalStateException("the manager is running already");
        }
        Path logging = settings.runDir().resolve("logging.properties");
        Files.writeString(logging, resource("logging.properties"));
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.util.logging.config.file=" + logging, "-javaagent:" + home.parentWatchJar(), "-jar", home.managerJar().toString()));
        cmd.addAll(configArgs);
        cmd.addAll(List.of("--http.port=" + dashboardPort, "--jmx.port=" + managerJmxPort));
        cmd.addAll(settings.managerFlags());
        if (watchOnly) {
            cmd.addAll(WATCH_ONLY);
        }
        cmd.addAll(List.of(moreFlags));
        managerCommand = List.copyOf(cmd);
        managerStarts++;
        manager = Child.start("manager", cmd, settings.runDir().resolve("manager-" + managerStarts + ".log"),
                "spillway-manager: dashboard");
        manager.awaitReady(60_000);
        long end = System.currentTimeMillis() + 60_000;
        List<String> expected = servers.values().stream().filter(s -> s.process().isAlive()).map(Server::id).toList();
        while (!registered(expected)) {
            if (System.currentTimeMillis() > end) {
                throw new IOException("the servers' agents did not register with the manager within 60 s: "
                        + hostsJson() + "; see " + settings.runDir());
            }
            if (!manager.isAlive()) {
                throw new IOException("the manager exited (status " + manager.exitValue() + ")" + manager.tail());
            }
            Thread.sleep(200);
        }
    }

    private boolean registered(List<String> ids) {
        String json = hostsJson();
        for (String id : ids) {
            if (!json.contains("\"id\":\"" + id + "\"")) {
                return false;
            }
        }
        return true;
    }

    /** GET /api/hosts, or "" when the manager does not answer. */
    public String hostsJson() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(dashboardUrl() + "api/hosts"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** One unlabelled sample of the manager's {@code /metrics} (e.g. spillway_manager_cycles_total), or NaN. */
    public double metric(String name) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(dashboardUrl() + "metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(r.body());
            return r.statusCode() == 200 && m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** The manager's view of one host's state ("ok", "overloaded", ...), or null. */
    public String hostState(String id) {
        Matcher m = Pattern.compile("\\{\"id\":\"" + Pattern.quote(id) + "\".*?\"state\":\"([a-z]+)\"")
                .matcher(hostsJson());
        return m.find() ? m.group(1) : null;
    }

    /** SIGTERM: the manager stops its cycle; the directives it gave end with their leases. */
    public void stopManager() throws InterruptedException {
        if (manager != null) {
            manager.stop(10_000);
        }
    }

    /** SIGKILL: the manager vanishes mid-cycle. */
    public void killManager() throws InterruptedException {
        if (manager != null) {
            manager.kill();
        }
    }

    /** SIGKILL a web server. */
    public void killServer(String id) throws InterruptedException {
        servers.get(id).process().kill();
    }

    /** The command line of the last manager started (empty before the first), for reports. */
    public List<String> managerCommand() {
        return managerCommand;
    }

    public Server server(String id) {
        return servers.get(id);
    }

    public List<Server> servers() {
        return List.copyOf(servers.values());
    }

    public String dashboardUrl() {
        return "http://127.0.0.1:" + dashboardPort + "/";
    }

    public String managerJmxUrl() {
        return "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + managerJmxPort + "/jmxrmi";
    }

    public Path runDir() {
        return settings.runDir();
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }

    private synchronized void closeQuietly() {
        try {
            if (manager != null) {
                manager.stop(10_000);
            }
            for (Server s : servers.values()) {
                s.process().stop(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The demo's JMX users and where their files are. */
    public JmxUsers jmxUsers() {
        return jmxUsers;
    }

    /** A reader of server {@code id}'s filter MXBean, as the readonly JMX user. */
    public FilterProbe probe(String id) {
        return new FilterProbe(servers.get(id).agentJmxUrl(), jmxUsers.credentials(JmxUsers.READER));
    }

    /** The JMX placeholders both templates share, filled. */
    private String withJmxUsers(String template) {
        return template.replace("{{jmxPasswordFile}}", jmxUsers.passwordFile().toString())
                .replace("{{jmxAccessFile}}", jmxUsers.accessFile().toString())
                .replace("{{operatorPassword}}", jmxUsers.credentials(JmxUsers.CONTROLLER)[1]);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = Cluster.class.getResourceAsStream(CONF + name)) {
            if (in == null) {
                throw new IOException("conf/demo/" + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        Matcher left = Pattern.compile("\\{\\{([a-zA-Z]+)}}").matcher(out);
        if (left.find()) {
            throw new IllegalStateException("conf/demo: no value for {{" + left.group(1) + "}}");
        }
        return out;
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
