package dev.spillway.demo;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's processes: three web servers (a, b, c; each its own JVM running {@link WebServerMain} with the sample
 * WAR, the filter and an embedded agent), optionally a fourth, d, that starts in the manager's spare pool, and the
 * manager (its own jar, unchanged, in its own JVM) — or two managers electing a leader on a ZooKeeper server of their
 * own. Writes each server's filter settings from {@code conf/demo/web.properties} into the run directory, and uses
 * {@code conf/demo/manager.properties} as it is (plus {@code manager-pool.properties} with the spare). Every process
 * it starts is stopped by {@link #close()}, and dies by itself if this JVM dies.
 */
public final class Cluster implements AutoCloseable {
    /** The members: every load goes to them. */
    public static final List<String> IDS = List.of("a", "b", "c");
    /** The spare ({@link Settings#spare()}): in the manager's pool, in every filter's peers, sent no load itself. */
    public static final String SPARE = "d";
    /** The membership file (of the first manager) and the pool hook's record, in the run directory. */
    public static final String POOL_FILE = "pool.members";
    public static final String HOOK_LOG = "pool-hooks.log";
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
     * @param spare         also start server {@link #SPARE}, listed in the manager's {@code pool.spares}
     * @param managers      1, or 2 or 3 managers on a ZooKeeper server the cluster starts
     */
    public record Settings(Path runDir, int dashboardPort, int workerThreads, List<String> managerFlags, boolean spare,
            int managers) {
        public Settings {
            if (managers < 1 || managers > 3) {
                throw new IllegalArgumentException("managers: " + managers + " is not 1, 2 or 3");
            }
        }

        /** Three servers and one manager. */
        public Settings(Path runDir, int dashboardPort, int workerThreads, List<String> managerFlags) {
            this(runDir, dashboardPort, workerThreads, managerFlags, false, 1);
        }
    }

    /** One manager process's ports; the first one's HTTP port is the dashboard the demo prints. */
    private record ManagerSlot(int number, int httpPort, int jmxPort) {
        String url() {
            return "http://127.0.0.1:" + httpPort + "/";
        }

        String jmxUrl() {
            return "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi";
        }
    }

    private final Home home;
    private final Settings settings;
    private final Map<String, Server> servers = new LinkedHashMap<>();
    private final List<ManagerSlot> slots;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread stopOnExit = new Thread(this::closeQuietly, "demo-cluster-stop");
    private JmxUsers jmxUsers;
    private final Child[] managers;
    private ZooKeeperProcess zooKeeper;
    private int managerStarts;
    private volatile List<String> managerCommand = List.of();

    private Cluster(Home home, Settings settings, List<ManagerSlot> slots) {
        this.home = home;
        this.settings = settings;
        this.slots = slots;
        this.managers = new Child[slots.size()];
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
        List<ManagerSlot> slots = new ArrayList<>();
        for (int n = 1; n <= s.managers(); n++) {
            int http = n == 1 && s.dashboardPort() != 0 ? s.dashboardPort() : freePort();
            slots.add(new ManagerSlot(n, http, freePort()));
        }
        Cluster c = new Cluster(home, s, slots);
        Runtime.getRuntime().addShutdownHook(c.stopOnExit);
        try {
            c.jmxUsers = JmxUsers.install(s.runDir());
            if (s.managers() > 1) {
                c.startZooKeeper();
            }
            List<String> ids = new ArrayList<>(IDS);
            if (s.spare()) {
                ids.add(SPARE);
            }
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            // A port picked free may be taken before the child binds it (a busy machine): all servers again, on new
            // ports (each server's peers name the others' ports, so one cannot move alone).
            for (int attempt = 1; ; attempt++) {
                try {
                    c.startServers(ids, secret, threadsById, jvmFlags);
                    break;
                } catch (IOException e) {
                    if (attempt == PORT_ATTEMPTS || !portTaken(e)) {
                        throw e;
                    }
                    c.stopServers();
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.closeQuietly();
            throw e;
        }
        return c;
    }

    /** Tries to start the servers (or ZooKeeper) this many times when a port picked free was taken meanwhile. */
    public static final int PORT_ATTEMPTS = 3;

    private void startServers(List<String> ids, String secret, Map<String, Integer> threadsById, List<String> jvmFlags)
            throws IOException, InterruptedException {
        Map<String, int[]> ports = new LinkedHashMap<>();
        for (String id : ids) {
            ports.put(id, new int[] {freePort(), freePort()});
        }
        String template = resource("web.properties");
        Path logging = settings.runDir().resolve("logging.properties");
        Files.writeString(logging, resource("logging.properties"));
        String managerUrls = String.join(",", slots.stream().map(ManagerSlot::jmxUrl).toList());
        for (String id : ids) {
            int[] p = ports.get(id);
            List<String> peers = new ArrayList<>();
            for (String other : ids) {
                if (!other.equals(id)) {
                    peers.add(other + "=http://127.0.0.1:" + ports.get(other)[0] + CONTEXT);
                }
            }
            String text = fill(withJmxUsers(template), Map.of("peers", String.join(", ", peers), "hopSecret", secret,
                    "id", id, "webBaseUrl", "http://127.0.0.1:" + p[0] + CONTEXT,
                    "agentJmxPort", String.valueOf(p[1]), "managerJmxUrl", managerUrls));
            Path file = settings.runDir().resolve(id + ".properties");
            JmxUsers.writeOwnerOnly(file, text);
            List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Djava.util.logging.config.file=" + logging, "-Dspillway.host=" + id,
                    "-Dspillway.config=" + file));
            cmd.addAll(jvmFlags);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WebServerMain.class.getName(),
                    "--war", home.war().toString(), "--port", String.valueOf(p[0]), "--context", CONTEXT,
                    "--threads", String.valueOf(threadsById.getOrDefault(id, settings.workerThreads()))));
            Child child = Child.start("server " + id, cmd, settings.runDir().resolve(id + ".log"), "READY ");
            servers.put(id, new Server(id, p[0], p[1], child));
        }
        for (Server srv : servers.values()) {
            srv.process().awaitReady(90_000);
        }
    }

    private void stopServers() throws InterruptedException {
        for (Server srv : servers.values()) {
            srv.process().stop(10_000);
        }
        servers.clear();
    }

    private void startZooKeeper() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            zooKeeper = ZooKeeperProcess.start(home, settings.runDir(), freePort());
            try {
                zooKeeper.awaitReady(60_000);
                return;
            } catch (IOException e) {
                zooKeeper.close();
                if (attempt == PORT_ATTEMPTS || !portTaken(e)) {
                    throw e;
                }
            }
        }
    }

    /** Whether a child failed because its port was taken (the wording of Jetty's, RMI's and ZooKeeper's errors). */
    public static boolean portTaken(IOException e) {
        return String.valueOf(e.getMessage()).contains("already in use");
    }

    /**
     * Starts the manager with {@code conf/demo/manager.properties}; {@code watchOnly} adds {@link #WATCH_ONLY}. Waits
     * until its dashboard answers and every running server's agent has registered.
     */
    public void startManager(boolean watchOnly, String... moreFlags) throws IOException, InterruptedException {
        List<List<String>> configs = new ArrayList<>();
        for (ManagerSlot m : slots) {
            String text = fill(withJmxUsers(resource("manager.properties")), Map.of());
            if (settings.spare()) {
                text += "\n" + fill(resource("manager-pool.properties"), Map.of("poolFile",
                        settings.runDir().resolve(m.number() == 1 ? POOL_FILE : "pool-" + m.number() + ".members")
                                .toString(), "poolHook", installPoolHook().toString()));
            }
            Path conf = settings.runDir().resolve(m.number() == 1 ? "manager.properties"
                    : "manager-" + m.number() + ".properties");
            JmxUsers.writeOwnerOnly(conf, text);
            configs.add(List.of("--config", conf.toString()));
        }
        launchManagers(configs, watchOnly, moreFlags);
    }

    /**
     * conf/demo/pool-hook.sh, copied into the run directory and made executable: the manager runs it (argv, no shell)
     * at each allocation and release; it appends its arguments to {@link #HOOK_LOG}.
     */
    private Path installPoolHook() throws IOException {
        Path hook = settings.runDir().toAbsolutePath().resolve("pool-hook.sh");
        if (hook.toString().contains(" ")) {
            throw new IOException("the run directory " + settings.runDir() + " has a space in its path: the manager"
                    + " splits its hook commands on spaces; choose another with --run-dir");
        }
        Files.writeString(hook, resource("pool-hook.sh"));
        Files.setPosixFilePermissions(hook, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return hook;
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
        List<List<String>> configs = new ArrayList<>();
        slots.forEach(m -> configs.add(List.of("--config", conf.toString())));
        launchManagers(configs, false, moreFlags);
    }

    /** The JMX part of conf/demo/manager.properties, for a manager otherwise at its defaults. */
    private static final String MANAGER_JMX_USERS = String.join("\n",
            "jmx.password.file={{jmxPasswordFile}}", "jmx.access.file={{jmxAccessFile}}",
            "agent.jmx.user=" + JmxUsers.CONTROLLER, "agent.jmx.password={{operatorPassword}}", "");

    /** Starts one manager per slot (with its config arguments), then waits until each is up and knows every server. */
    private void launchManagers(List<List<String>> configArgs, boolean watchOnly, String... moreFlags)
            throws IOException, InterruptedException {
        for (Child m : managers) {
            if (m != null && m.isAlive()) {
                throw new IllegalStateException("a manager is running already");
            }
        }
        Path logging = settings.runDir().resolve("logging.properties");
        Files.writeString(logging, resource("logging.properties"));
        managerStarts++;
        for (ManagerSlot m : slots) {
            List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Djava.util.logging.config.file=" + logging, "-javaagent:" + home.parentWatchJar(), "-jar",
                    home.managerJar().toString()));
            cmd.addAll(configArgs.get(m.number() - 1));
            cmd.addAll(List.of("--http.port=" + m.httpPort(), "--jmx.port=" + m.jmxPort()));
            if (zooKeeper != null) {
                cmd.addAll(List.of("--zookeeper.connect=" + zooKeeper.connectString(), "--cluster.id=demo"));
            }
            cmd.addAll(settings.managerFlags());
            if (watchOnly) {
                cmd.addAll(WATCH_ONLY);
            }
            cmd.addAll(List.of(moreFlags));
            if (m.number() == 1) {
                managerCommand = List.copyOf(cmd);
            }
            String log = "manager-" + (slots.size() == 1 ? "" : m.number() + "-") + managerStarts + ".log";
            managers[m.number() - 1] = Child.start("manager " + m.number(), cmd, settings.runDir().resolve(log),
                    "spillway-manager: dashboard");
        }
        for (ManagerSlot m : slots) {
            Child manager = managers[m.number() - 1];
            manager.awaitReady(60_000);
            long end = System.currentTimeMillis() + 60_000;
            List<String> expected = servers.values().stream().filter(s -> s.process().isAlive()).map(Server::id)
                    .toList();
            while (!registered(m.url(), expected)) {
                if (System.currentTimeMillis() > end) {
                    throw new IOException("the servers' agents did not register with manager " + m.number()
                            + " within 60 s: " + get(m.url() + "api/hosts") + "; see " + settings.runDir());
                }
                if (!manager.isAlive()) {
                    throw new IOException("manager " + m.number() + " exited (status " + manager.exitValue() + ")"
                            + manager.tail());
                }
                Thread.sleep(200);
            }
        }
    }

    private boolean registered(String managerUrl, List<String> ids) {
        String json = get(managerUrl + "api/hosts");
        for (String id : ids) {
            if (!json.contains("\"id\":\"" + id + "\"")) {
                return false;
            }
        }
        return true;
    }

    /** GET /api/hosts of the {@link #activeDashboardUrl() active manager}, or "" when it does not answer. */
    public String hostsJson() {
        return get(activeDashboardUrl() + "api/hosts");
    }

    /** GET {@code url}'s body, or "" when it does not answer 200. */
    String get(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
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
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(activeDashboardUrl() + "metrics"))
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

    /** SIGTERM: the manager(s) stop their cycle; the directives they gave end with their leases. */
    public void stopManager() throws InterruptedException {
        for (Child m : managers) {
            if (m != null) {
                m.stop(10_000);
            }
        }
    }

    /** SIGKILL: the manager(s) vanish mid-cycle. */
    public void killManager() throws InterruptedException {
        for (Child m : managers) {
            if (m != null) {
                m.kill();
            }
        }
    }

    /**
     * With more than one manager: SIGKILL the one whose {@code /api/leader} says it leads. Returns its dashboard URL
     * (its participant id in ZooKeeper), or null when none of the running managers leads.
     */
    public String killLeader() throws InterruptedException {
        for (ManagerSlot m : slots) {
            Child c = managers[m.number() - 1];
            if (c != null && c.isAlive() && "leader".equals(jsonField(get(m.url() + "api/leader"), "mode"))) {
                c.kill();
                return m.url();
            }
        }
        return null;
    }

    /**
     * The dashboard of the manager to ask: with one, that one; with several, the running one that leads, else the
     * first running one (a follower shows the same hosts), else the first.
     */
    public String activeDashboardUrl() {
        if (slots.size() == 1) {
            return slots.get(0).url();
        }
        String running = null;
        for (ManagerSlot m : slots) {
            Child c = managers[m.number() - 1];
            if (c != null && c.isAlive()) {
                if ("leader".equals(jsonField(get(m.url() + "api/leader"), "mode"))) {
                    return m.url();
                }
                running = running == null ? m.url() : running;
            }
        }
        return running != null ? running : slots.get(0).url();
    }

    /** The membership file of the {@link #activeDashboardUrl() active manager} (each manager has its own). */
    public Path membershipFile() {
        int n = dashboardUrls().indexOf(activeDashboardUrl()) + 1;
        return settings.runDir().resolve(n <= 1 ? POOL_FILE : "pool-" + n + ".members");
    }

    /** Every manager's dashboard URL, in order (one unless {@link Settings#managers()} says more). */
    public List<String> dashboardUrls() {
        return slots.stream().map(ManagerSlot::url).toList();
    }

    /** {@code GET /api/leader} of the manager at {@code dashboardUrl}, or "" when it does not answer. */
    public String leaderJson(String dashboardUrl) {
        return get(dashboardUrl + "api/leader");
    }

    /** A string or number field of a flat JSON object, as text; null when absent. */
    static String jsonField(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(\"([^\"]*)\"|[-0-9.eE]+)")
                .matcher(json);
        return !m.find() ? null : m.group(2) != null ? m.group(2) : m.group(1);
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

    /** The first manager's dashboard. */
    public String dashboardUrl() {
        return slots.get(0).url();
    }

    /** The first manager's JMX URL (the agents are given every manager's). */
    public String managerJmxUrl() {
        return slots.get(0).jmxUrl();
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
            stopManager();
            for (Server s : servers.values()) {
                s.process().stop(10_000);
            }
            if (zooKeeper != null) {
                zooKeeper.close();
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

    /** A port for a child to bind; the start-up retries one taken before the child bound it. */
    static int freePort() throws IOException {
        return FreePorts.pick();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
