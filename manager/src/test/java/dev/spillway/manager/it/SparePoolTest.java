package dev.spillway.manager.it;

import static dev.spillway.manager.it.ScriptedFarm.BUSY;
import static dev.spillway.manager.it.ScriptedFarm.HOT;
import static dev.spillway.manager.it.ScriptedFarm.IDLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.manager.HostView;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.manager.policy.HostState;
import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spare pool against a real manager and scripted agents on real RMI connectors in this JVM: every directive an
 * agent receives is appended to a file, so the test sees which hosts were ever granted a budget. Hooks are a real
 * script that appends its arguments to a file. Scripted hosts have 20 workers x 100 ms = 200 requests/s.
 */
class SparePoolTest {
    @TempDir
    Path dir;
    private ScriptedFarm farm;
    private Manager manager;

    @BeforeEach
    void farm() {
        farm = new ScriptedFarm(dir);
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        farm.close();
    }

    private InProcessAgent agent(String id, String figures) throws Exception {
        return farm.agent(id, figures);
    }

    /** A manager polling every agent started so far, with {@code pool} settings on top. */
    private Manager startManager(Map<String, String> pool) throws Exception {
        return startManager(pool, Map.of());
    }

    /** ... and {@code notRunning} (id to JMX port): hosts it polls whose agents do not run yet. */
    private Manager startManager(Map<String, String> pool, Map<String, Integer> notRunning) throws Exception {
        Map<String, String> m = farm.managerSettings("250ms");
        m.put("lease.intervals", "4");
        List<String> ids = new ArrayList<>(List.of(m.get("hosts").split(",")));
        notRunning.forEach((id, port) -> {
            ids.add(id);
            m.put("host." + id + ".jmx", "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
            m.put("host." + id + ".web", ScriptedFarm.webUrl(id));
        });
        m.put("hosts", String.join(",", ids));
        m.put("pool.file", dir.resolve("pool.members").toString());
        m.put("pool.allocate.command", farm.recordingHook() + " allocate");
        m.put("pool.release.command", farm.recordingHook() + " release");
        m.putAll(pool);
        return ScriptedFarm.startManager(m);
    }

    private List<String> hookRuns() {
        return farm.hookRuns();
    }

    /** Directive calls host {@code id} received, as the scripted agent logged them. */
    private List<String> directivesAt(String id) {
        return farm.calls(id);
    }

    private String membershipFile() throws IOException {
        return Files.readString(dir.resolve("pool.members"));
    }

    private HostView view(String id) {
        return manager.views().stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
    }

    private void cycles(int n) {
        long from = manager.loop().cycles();
        Await.until(n + " more cycles", () -> manager.loop().cycles() >= from + n);
    }

    private static boolean names(String directive, String id) {
        return (" " + directive + " ").matches(".*[ \\[,]" + java.util.regex.Pattern.quote(id) + "[ ,\\]].*");
    }

    @Test
    void aSpareIsNeverATargetNorCountedBeforeItIsAllocated() throws Exception {
        agent("A", HOT);
        agent("B", BUSY);
        agent("S", IDLE);   // the idlest host: without the pool it would be A's first target
        manager = startManager(Map.of("pool.spares", "S", "pool.allocate.after", "1h"));
        cycles(12);

        assertEquals(HostState.SPARE, view("S").state());
        for (String id : List.of("A", "B")) {
            for (String d : directivesAt(id)) {
                assertFalse(names(d, "S"), id + " was granted a budget into the spare: " + d);
            }
        }
        assertTrue(directivesAt("S").stream().noneMatch(d -> d.contains("PERMIT")), "a spare holds no permit");
        String hosts = get("/api/hosts");
        assertTrue(hosts.matches("(?s).*\"id\"\\s*:\\s*\"S\".*?\"state\"\\s*:\\s*\"spare\".*"), hosts);
        assertEquals(List.of(), hookRuns());
        assertEquals(List.of("S"), manager.pool().spares());
        assertTrue(membershipFile().contains("\nspare S\n"), membershipFile());
    }

    @Test
    void underOverloadTheSameZoneSpareIsAllocatedOnceThenTargetedAndTheCoolDownHoldsTheNext() throws Exception {
        agent("A", HOT + "zone=z1\n");
        agent("B", BUSY + "zone=z2\n");
        agent("BIG", IDLE + "zone=z2\nmaxWorkers=40\n");  // larger, but in another zone than the hot host
        agent("NEAR", IDLE + "zone=z1\n");
        manager = startManager(Map.of("pool.spares", "BIG,NEAR", "pool.allocate.after", "1s",
                "pool.coolDown", "1h"));

        Await.until("a spare allocated", () -> manager.pool().allocations() == 1);
        assertEquals(List.of("NEAR"), manager.pool().allocated(), "same zone as the busiest member first");
        Await.until("the allocation hook ran", () -> !hookRuns().isEmpty());
        assertEquals(List.of("allocate NEAR http://127.0.0.1:1/NEAR " + farm.agents().get(3).url), hookRuns());
        assertTrue(membershipFile().contains("\nmember NEAR\n") && membershipFile().contains("\nspare BIG\n"),
                membershipFile());
        Await.until("A is granted a budget into NEAR",
                () -> directivesAt("A").stream().anyMatch(d -> d.contains("PERMIT") && names(d, "NEAR")));
        // the view is published after the cycle's sends: the permit can be at A a moment before the view shows it
        Await.until("NEAR shown as a member", () -> view("NEAR").state() != HostState.SPARE);

        // still short of capacity (800/s of load on 600/s), but within the cool-down: no second allocation
        cycles(20);
        assertEquals(1, manager.pool().allocations());
        assertEquals(List.of("BIG"), manager.pool().spares());
        assertEquals(1, hookRuns().size(), hookRuns().toString());
        assertTrue(directivesAt("A").stream().noneMatch(d -> names(d, "BIG")), directivesAt("A").toString());
        String metrics = get("/metrics");
        assertTrue(metrics.matches("(?s).*\nspillway_pool_allocations_total 1(\\.0)?\n.*"), metrics);
        assertTrue(metrics.matches("(?s).*\nspillway_pool_hosts\\{state=\"spare\"} 1(\\.0)?\n.*"), metrics);
        assertTrue(metrics.matches("(?s).*\nspillway_pool_hosts\\{state=\"allocated\"} 1(\\.0)?\n.*"), metrics);
    }

    @Test
    void releaseWaitsUntilNothingMovesIntoTheHostThenTheFileAndHookSayItIsBackInThePool() throws Exception {
        Files.writeString(dir.resolve("pool.members"), "member A\nmember B\nmember S\n");
        InProcessAgent a = agent("A", IDLE + "movedTo=S:30\n");
        agent("B", IDLE);
        InProcessAgent s = agent("S", IDLE);
        manager = startManager(Map.of("pool.spares", "S", "pool.release.after", "1s", "pool.coolDown", "0s",
                "pool.minMembers", "2"));
        assertEquals(List.of("S"), manager.pool().allocated(), "the file's allocation survives the restart");

        Await.until("S is being released", () -> manager.pool().releasing().equals(List.of("S")));
        cycles(12);   // three leases: only A still moving requests to S holds the release
        assertEquals(List.of("S"), manager.pool().releasing());
        assertEquals(0, manager.pool().releases());
        assertEquals(HostState.SPARE, view("S").state(), "no budget into a host being released");
        assertFalse(view("A").directive().targets().contains("S"), view("A").directive().targets().toString());
        assertTrue(membershipFile().contains("\nmember S\n"), "a member until the release is done");

        a.setFigures(IDLE);
        Await.until("S released", () -> manager.pool().releases() == 1);
        assertEquals(List.of("S"), manager.pool().spares());
        assertTrue(membershipFile().contains("\nspare S\n"), membershipFile());
        Await.until("the release hook ran", () -> !hookRuns().isEmpty());
        assertEquals(List.of("release S http://127.0.0.1:1/S " + s.url), hookRuns());
    }

    @Test
    void aRestartedManagerKeepsWhatItAllocated() throws Exception {
        agent("A", HOT);
        agent("B", BUSY);
        agent("S", IDLE);
        Map<String, String> pool = Map.of("pool.spares", "S", "pool.allocate.after", "0s", "pool.coolDown", "1h",
                "pool.release.after", "1h");
        manager = startManager(pool);
        Await.until("S allocated", () -> manager.pool().allocated().equals(List.of("S")));
        manager.close();

        manager = startManager(pool);
        assertEquals(List.of("S"), manager.pool().allocated());
        assertEquals(0, manager.pool().allocations(), "kept from the file, not allocated again");
        Await.until("S is a member and a target again", () -> view("S").state() != HostState.SPARE
                && view("A").directive().targets().contains("S"));
    }

    @Test
    void aFailingHookIsRetriedUpToItsAttemptsAndTheLoopGoesOn() throws Exception {
        agent("A", HOT);
        agent("B", BUSY);
        agent("S", IDLE);
        String failing = farm.failingHook();
        manager = startManager(Map.of("pool.spares", "S", "pool.allocate.after", "0s", "pool.coolDown", "1h",
                "pool.allocate.command", failing + " allocate", "pool.hook.retry", "100ms",
                "pool.hook.attempts", "3"));

        Await.until("three failed runs", () -> manager.pool().hookFailures() == 3);
        assertEquals(3, hookRuns().size(), hookRuns().toString());
        assertTrue(hookRuns().stream().allMatch(l -> l.startsWith("allocate S ")), hookRuns().toString());
        assertEquals(List.of("S"), manager.pool().allocated(), "a failing hook does not undo the allocation");
        cycles(8);   // the loop goes on, and gives up after the attempts
        assertEquals(3, hookRuns().size(), hookRuns().toString());
        Await.until("S shown as a member", () -> view("S").state() != HostState.SPARE);
    }

    @Test
    void aColdSpareStartedByTheHookJoinsOnceItAnswers() throws Exception {
        agent("A", HOT);
        agent("B", BUSY);
        int port = Ports.free();
        manager = startManager(Map.of("pool.spares", "C", "pool.allocate.after", "0s", "pool.coolDown", "1h",
                "pool.cold.wait", "1h"), Map.of("C", port));

        Await.until("the hook was asked to start C", () -> hookRuns().size() == 1);
        assertTrue(hookRuns().get(0).startsWith("allocate C http://127.0.0.1:1/C service:jmx:"), hookRuns().toString());
        Await.until("C shown starting", () -> manager.pool().starting().equals(List.of("C")));
        assertEquals(List.of(), manager.pool().allocated(), "not a member before it answers");
        assertEquals(HostState.SPARE, view("C").state());

        // what the hook would have started, on the port the operator configured for it
        farm.agent("C", IDLE, port);
        Await.until("C allocated", () -> manager.pool().allocated().equals(List.of("C")));
        assertEquals(1, manager.pool().allocations());
        assertEquals(List.of(), manager.pool().starting());
        Await.until("A is granted a budget into C",
                () -> directivesAt("A").stream().anyMatch(d -> d.contains("PERMIT") && names(d, "C")));
        assertEquals(1, hookRuns().size(), "the hook is not run again when the cold spare answers");
        assertTrue(membershipFile().contains("\nmember C\n"), membershipFile());
    }

    @Test
    void aColdSpareThatNeverAnswersIsPassedOverForTheNext() throws Exception {
        agent("A", HOT);
        agent("B", BUSY);
        manager = startManager(Map.of("pool.spares", "C1,C2", "pool.allocate.after", "0s", "pool.coolDown", "1h",
                "pool.cold.wait", "1s"), Map.of("C1", Ports.free(), "C2", Ports.free()));

        Await.until("the hook was asked to start C1, then C2", () -> hookRuns().size() == 2);
        assertTrue(hookRuns().get(0).startsWith("allocate C1 "), hookRuns().toString());
        assertTrue(hookRuns().get(1).startsWith("allocate C2 "), hookRuns().toString());
        Await.until("C2 given up too", () -> manager.pool().starting().isEmpty());
        cycles(8);   // both failed within the cool-down: neither is asked again yet
        assertEquals(2, hookRuns().size(), hookRuns().toString());
        assertEquals(List.of(), manager.pool().allocated());
        assertEquals(0, manager.pool().allocations());
    }

    @Test
    void aHandEditedFileWithAnErrorStopsStartUpNamingTheLine() throws Exception {
        agent("A", IDLE);
        Files.writeString(dir.resolve("pool.members"), "# edited\nmember A\nspare: S\n");
        ConfigException e = assertThrows(ConfigException.class, () -> startManager(Map.of("pool.spares", "S")));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("spare: S")
                && e.getMessage().contains("pool.file"), e.getMessage());
    }

    @Test
    void aPoolNeedsItsFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> ManagerConfig.from(ConfigValues.of(
                Map.of("pool.spares", "S"))));
        assertEquals("pool.file", e.key());
    }

    private String get(String path) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        return c.send(HttpRequest.newBuilder(URI.create(manager.httpUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
