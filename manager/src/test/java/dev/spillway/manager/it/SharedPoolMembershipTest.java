package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.manager.coordination.CoordinationSettings;
import dev.spillway.manager.coordination.Leadership;
import dev.spillway.settings.ConfigValues;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
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
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two managers of one cluster on a real ZooKeeper server (in-process) over scripted agents on real RMI connectors,
 * each with its own membership file: the leader allocates a spare, stops, and the manager that takes over keeps the
 * allocation from ZooKeeper — S stays a member and a target, and the allocation hook is not run again. Without the
 * shared membership the second manager's own (empty) file would make S a spare, and the shortage would allocate it
 * again with its hook.
 */
class SharedPoolMembershipTest {
    private static final String HOT = "queueDelayMillis=300\nqueueLength=5\nsystemCpu=0.5\nrequestRate=400\n";
    private static final String BUSY = "queueDelayMillis=50\nqueueLength=1\nsystemCpu=0.5\nrequestRate=200\n";
    private static final String IDLE = "queueDelayMillis=1\nqueueLength=0\nsystemCpu=0.05\nrequestRate=10\n";

    @TempDir
    Path dir;
    private final List<InProcessAgent> agents = new ArrayList<>();
    private final List<Manager> managers = new ArrayList<>();
    private TestingServer zk;

    @AfterEach
    void stop() throws IOException {
        managers.forEach(Manager::close);
        agents.forEach(InProcessAgent::close);
        if (zk != null) {
            zk.close();
        }
    }

    private Manager startManager(String name) throws Exception {
        Path hook = dir.resolve("hook.sh");
        if (!Files.exists(hook)) {
            Files.writeString(hook, "#!/bin/sh\necho \"$@\" >> '" + dir.resolve("hooks.log") + "'\n");
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        }
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", String.valueOf(Ports.free()));
        m.put("poll.interval", "250ms");
        m.put("hosts", "A,B,S");
        for (InProcessAgent a : agents) {
            m.put("host." + a.id + ".jmx", a.url);
            m.put("host." + a.id + ".web", "http://127.0.0.1:1/" + a.id);
        }
        m.put("pool.spares", "S");
        m.put("pool.file", dir.resolve(name + ".members").toString());
        m.put("pool.allocate.after", "0s");
        m.put("pool.coolDown", "1h");
        m.put("pool.release.after", "1h");
        m.put("pool.allocate.command", hook + " allocate");
        Manager manager = Manager.start(ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer(),
                new CoordinationSettings(zk.getConnectString(), "shop", 2000, 1000));
        managers.add(manager);
        return manager;
    }

    private List<String> hookRuns() {
        try {
            Path log = dir.resolve("hooks.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean leads(Manager m) {
        return m.leadership().sendingEpoch() != Leadership.NOT_LEADING;
    }

    private static void cycles(Manager m, int n) {
        long from = m.loop().cycles();
        Await.until(n + " more cycles", () -> m.loop().cycles() >= from + n);
    }

    @Test
    void aNewLeaderKeepsTheAllocationWithoutRunningTheHookAgain() throws Exception {
        // tickTime 250 ms: ZooKeeper grants sessions of 2 to 20 ticks, so the manager's 2 s fits
        zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 250, -1), true);
        agents.add(InProcessAgent.start(dir, "A", HOT));
        agents.add(InProcessAgent.start(dir, "B", BUSY));
        agents.add(InProcessAgent.start(dir, "S", IDLE));

        Manager first = startManager("first");
        Await.until("the first manager leads", () -> leads(first));
        Await.until("S allocated", () -> first.pool().allocated().equals(List.of("S")));
        Await.until("the allocation hook ran", () -> hookRuns().size() == 1);

        Manager second = startManager("second");
        Await.until("the follower sees S allocated", () -> second.pool().allocated().equals(List.of("S")));
        first.close();
        Await.until("the second manager leads", () -> leads(second));
        Await.until("the new leader grants A a budget into S", () -> second.views().stream()
                .anyMatch(v -> v.id().equals("A") && v.directive().targets().contains("S")));
        cycles(second, 8);

        assertEquals(List.of("S"), second.pool().allocated());
        assertEquals(0, second.pool().allocations(), "kept from ZooKeeper, not allocated again");
        assertEquals(1, hookRuns().size(), hookRuns().toString());
        Await.until("its own file says so too", () -> read(dir.resolve("second.members")).contains("\nmember S\n"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
