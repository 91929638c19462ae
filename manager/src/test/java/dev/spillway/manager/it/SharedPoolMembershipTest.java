package dev.spillway.manager.it;

import static dev.spillway.manager.it.ScriptedFarm.BUSY;
import static dev.spillway.manager.it.ScriptedFarm.HOT;
import static dev.spillway.manager.it.ScriptedFarm.IDLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.manager.coordination.CoordinationSettings;
import dev.spillway.manager.coordination.Leadership;
import dev.spillway.settings.ConfigValues;
import dev.spillway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    @TempDir
    Path dir;
    private ScriptedFarm farm;
    private final List<Manager> managers = new ArrayList<>();
    private TestingServer zk;

    @AfterEach
    void stop() throws IOException {
        managers.forEach(Manager::close);
        if (farm != null) {
            farm.close();
        }
        if (zk != null) {
            zk.close();
        }
    }

    private Manager startManager(String name) throws Exception {
        Map<String, String> m = farm.managerSettings("250ms");
        m.put("pool.spares", "S");
        m.put("pool.file", dir.resolve(name + ".members").toString());
        m.put("pool.allocate.after", "0s");
        m.put("pool.coolDown", "1h");
        m.put("pool.release.after", "1h");
        m.put("pool.allocate.command", farm.recordingHook() + " allocate");
        Manager manager = Manager.start(ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer(),
                new CoordinationSettings(zk.getConnectString(), "shop", 2000, 1000));
        managers.add(manager);
        return manager;
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
        farm = new ScriptedFarm(dir);
        farm.agent("A", HOT);
        farm.agent("B", BUSY);
        farm.agent("S", IDLE);

        Manager first = startManager("first");
        Await.until("the first manager leads", () -> leads(first));
        Await.until("S allocated", () -> first.pool().allocated().equals(List.of("S")));
        Await.until("the allocation hook ran", () -> farm.hookRuns().size() == 1);

        Manager second = startManager("second");
        Await.until("the follower sees S allocated", () -> second.pool().allocated().equals(List.of("S")));
        first.close();
        Await.until("the second manager leads", () -> leads(second));
        Await.until("the new leader grants A a budget into S", () -> second.views().stream()
                .anyMatch(v -> v.id().equals("A") && v.directive().targets().contains("S")));
        cycles(second, 8);

        assertEquals(List.of("S"), second.pool().allocated());
        assertEquals(0, second.pool().allocations(), "kept from ZooKeeper, not allocated again");
        assertEquals(1, farm.hookRuns().size(), farm.hookRuns().toString());
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
