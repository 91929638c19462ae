package dev.spillway.manager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import dev.spillway.manager.policy.Capacity;
import dev.spillway.manager.policy.Observation;
import dev.spillway.manager.poll.HostEntry;
import dev.spillway.settings.ConfigValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With several managers only the leader changes the pool: a follower sees the same shortage and marks the spares it
 * knows, but never allocates (so never writes a member into its file nor runs the allocation hook). The same cycles on a leader allocate, which
 * shows the shortage is real.
 */
class LeaderOnlyPoolChangesTest {
    @TempDir
    Path dir;

    private final List<HostEntry> hosts = List.of(new HostEntry("a", "service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi",
            "", "http://127.0.0.1:1", true, 0), new HostEntry("s", "service:jmx:rmi:///jndi/rmi://127.0.0.1:2/jmxrmi",
            "", "http://127.0.0.1:2", false, 0));
    private final List<Observation> observations = List.of(
            Observation.polled("a", "", HostLoad.builder("a").build(), false),
            Observation.polled("s", "", HostLoad.builder("s").build(), false));
    // a serves 99 of its 100 requests/s: 1% spare, far below the 10% mark; s is idle
    private final Map<String, Capacity> capacities = Map.of("a", new Capacity(100, 99, 1, 100, 20),
            "s", new Capacity(100, 0, 80, 100, 20));

    private SparePool pool(Path file) {
        return SparePool.open(PoolSettings.from(ConfigValues.of(Map.of("pool.spares", "s", "pool.file",
                file.toString(), "pool.allocate.after", "0s", "pool.coolDown", "0s"))), 4_000, List.of("a"));
    }

    private static boolean listsAsMember(Path file, String id) throws Exception {
        return Files.exists(file) && Files.readAllLines(file).contains("member " + id);
    }

    @Test
    void aFollowerMarksSparesButNeverAllocates() throws Exception {
        Path file = dir.resolve("members");
        SparePool follower = pool(file);
        for (long t = 0; t <= 30_000; t += 1_000) {
            List<Observation> marked = follower.mark(t, hosts, observations, capacities, false);
            assertTrue(marked.get(1).spare(), "the follower still treats s as a spare");
            assertFalse(marked.get(0).spare());
        }
        assertEquals(List.of(), follower.state().allocated());
        assertEquals(0, follower.state().allocations());
        assertFalse(listsAsMember(file, "s"), "the follower's file does not make s a member");

        Path leaderFile = dir.resolve("leader-members");
        SparePool leader = pool(leaderFile);
        for (long t = 0; t <= 30_000 && leader.state().allocated().isEmpty(); t += 1_000) {
            leader.mark(t, hosts, observations, capacities, true);
        }
        assertEquals(List.of("s"), leader.state().allocated(), "the same shortage makes a leader allocate");
        assertTrue(listsAsMember(leaderFile, "s"), "and write it down");
        follower.close();
        leader.close();
    }
}
