package dev.spillway.manager.it;

import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.settings.ConfigValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerFactory;

/**
 * The set-up the manager's permit, stream and pool tests share: scripted agents on real RMI connectors in this JVM
 * (each appends every call it receives to {@code <id>.directives} in the test's folder), the settings of a manager
 * that polls them, and a hook script that records its runs. The test owns the managers it starts; {@link #close}
 * stops the agents.
 */
final class ScriptedFarm implements AutoCloseable {
    /** Figures of a scripted host (20 workers x 100 ms = 200 requests/s) far beyond its capacity. */
    static final String HOT = "queueDelayMillis=300\nqueueLength=5\nsystemCpu=0.5\nrequestRate=400\n";
    /** At its capacity: nothing to spare, nothing to move. */
    static final String BUSY = "queueDelayMillis=50\nqueueLength=1\nsystemCpu=0.5\nrequestRate=200\n";
    /** Nearly idle: the best target. */
    static final String IDLE = "queueDelayMillis=1\nqueueLength=0\nsystemCpu=0.05\nrequestRate=10\n";
    /** Beyond capacity by a quarter: a permit's source while one {@link #QUIET} host has room. */
    static final String OVER = "queueDelayMillis=300\nqueueLength=5\nsystemCpu=0.5\nrequestRate=250\n";
    /** 0.8 x 200 - 20 = 140 requests/s to spare. */
    static final String QUIET = "queueDelayMillis=10\nqueueLength=0\nsystemCpu=0.1\nrequestRate=20\n";

    private final Path dir;
    private final List<InProcessAgent> agents = new ArrayList<>();

    ScriptedFarm(Path dir) {
        this.dir = dir;
    }

    /** Starts a scripted agent on a free port with {@code figures} (a properties text; see ScriptedAgentMain). */
    InProcessAgent agent(String id, String figures) throws Exception {
        return add(InProcessAgent.start(dir, id, figures));
    }

    /** On a port chosen beforehand: a host the manager already polls, started later. */
    InProcessAgent agent(String id, String figures, int port) throws Exception {
        return add(InProcessAgent.start(dir, id, figures, port));
    }

    private InProcessAgent add(InProcessAgent a) {
        agents.add(a);
        return a;
    }

    List<InProcessAgent> agents() {
        return agents;
    }

    /**
     * Settings of a manager that polls every agent started so far every {@code pollInterval}: its own ports free,
     * {@code hosts} in the order the agents started, each host's JMX URL and a web URL nothing listens on (what
     * pool hooks are told).
     */
    Map<String, String> managerSettings(String pollInterval) {
        return managerSettings(pollInterval, agents.stream().map(a -> a.id).toList());
    }

    /** As above, polling only the agents {@code hostIds} names (others may register). */
    Map<String, String> managerSettings(String pollInterval, List<String> hostIds) {
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", "0");
        m.put("poll.interval", pollInterval);
        m.put("hosts", String.join(",", hostIds));
        for (InProcessAgent a : agents) {
            if (hostIds.contains(a.id)) {
                m.put("host." + a.id + ".jmx", a.url);
                m.put("host." + a.id + ".web", webUrl(a.id));
            }
        }
        return m;
    }

    static String webUrl(String id) {
        return "http://127.0.0.1:1/" + id;
    }

    static Manager startManager(Map<String, String> settings) throws Exception {
        return Manager.start(ManagerConfig.from(ConfigValues.of(settings)), MBeanServerFactory.newMBeanServer());
    }

    /** A pool hook that appends its arguments, one run a line, to {@code hooks.log} ({@link #hookRuns}). */
    String recordingHook() {
        return script("hook.sh", "echo \"$@\" >> '" + dir.resolve("hooks.log") + "'\n");
    }

    /** A pool hook that records its runs as {@link #recordingHook} does, then fails (exit 3) saying why. */
    String failingHook() {
        return script("fail.sh", "echo \"$@\" >> '" + dir.resolve("hooks.log") + "'\necho the cloud is full\nexit 3\n");
    }

    private String script(String name, String body) {
        Path script = dir.resolve(name);
        try {
            if (!Files.exists(script)) {
                Files.writeString(script, "#!/bin/sh\n" + body);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script.toString();
    }

    List<String> hookRuns() {
        return lines(dir.resolve("hooks.log"));
    }

    /** Every call agent {@code id} received so far, one a line. */
    List<String> calls(String id) {
        return lines(dir.resolve(id + ".directives"));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        agents.forEach(InProcessAgent::close);
    }
}
