package dev.spillway.manager.it;

import static dev.spillway.manager.it.ScriptedFarm.BUSY;
import static dev.spillway.manager.it.ScriptedFarm.HOT;
import static dev.spillway.manager.it.ScriptedFarm.IDLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.ManagerMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.core.Agent;
import dev.spillway.agent.core.AgentSettings;
import dev.spillway.agent.jmx.JmxClients;
import dev.spillway.manager.HostView;
import dev.spillway.manager.Manager;
import dev.spillway.manager.policy.HostState;
import dev.spillway.settings.ConfigValues;
import dev.spillway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.JMX;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that says it is a spare ({@code host.spare=true}) against a real manager over its real JMX connector:
 * it joins the pool like a host of {@code pool.spares}, and a registration can put a host in the pool but never make
 * it a member. Scripted hosts (20 workers x 100 ms = 200 requests/s) register with the very call the agent makes.
 */
class SpareRegistrationTest {
    @TempDir
    Path dir;
    private ScriptedFarm farm;
    private final List<JMXConnector> connections = new ArrayList<>();
    private Manager manager;
    private Agent realAgent;

    @AfterEach
    void stop() {
        if (realAgent != null) {
            realAgent.close();
        }
        connections.forEach(JmxClients::closeQuietly);
        if (manager != null) {
            manager.close();
        }
        farm.close();
    }

    @BeforeEach
    void farm() {
        farm = new ScriptedFarm(dir);
    }

    private InProcessAgent agent(String id, String figures) throws Exception {
        return farm.agent(id, figures);
    }

    /** A manager polling {@code configured} (agents started so far), with {@code extra} settings on top. */
    private void startManager(List<String> configured, Map<String, String> extra) throws Exception {
        Map<String, String> m = farm.managerSettings("250ms", configured);
        m.put("pool.file", dir.resolve("pool.members").toString());
        m.putAll(extra);
        manager = ScriptedFarm.startManager(m);
    }

    private ManagerMXBean managerOverJmx() throws IOException {
        JMXConnector c = JmxClients.connect(manager.jmxUrl(), "", "", false, Duration.ofSeconds(20));
        connections.add(c);
        return JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.manager(), ManagerMXBean.class);
    }

    private HostView view(String id) {
        return manager.views().stream().filter(v -> v.id().equals(id)).findFirst().orElse(null);
    }

    private void cycles(int n) {
        long from = manager.loop().cycles();
        Await.until(n + " more cycles", () -> manager.loop().cycles() >= from + n);
    }

    private List<String> directivesAt(String id) {
        return farm.calls(id);
    }

    private static boolean names(String directive, String id) {
        return (" " + directive + " ").matches(".*[ \\[,]" + java.util.regex.Pattern.quote(id) + "[ ,\\]].*");
    }

    private String membershipFile() {
        try {
            return Files.readString(dir.resolve("pool.members"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRealAgentWithHostSpareJoinsThePool() throws Exception {
        agent("A", IDLE);
        startManager(List.of("A"), Map.of());
        AgentSettings s = AgentSettings.from(ConfigValues.of(Map.of("host.id", "S", "host.spare", "true",
                "jmx.port", "0", "manager.url", manager.jmxUrl(),
                "manager.register-interval", "1s")));
        realAgent = Agent.start(s, MBeanServerFactory.newMBeanServer(), List.of());

        Await.until("S in the pool", () -> manager.pool().spares().equals(List.of("S")));
        Await.until("S shown as a spare", () -> view("S") != null && view("S").state() == HostState.SPARE);
        Await.until("the file lists S as a spare", () -> membershipFile().contains("\nspare S\n"));
        assertTrue(membershipFile().contains("\nmember A\n"), membershipFile());
    }

    @Test
    void aHostThatRegistersAsSpareIsNeverATargetWhileOneThatRegistersPlainlyIs() throws Exception {
        agent("A", HOT);
        agent("B", BUSY);
        InProcessAgent s = agent("S", IDLE);   // the idlest host: without the pool it would be A's first target
        InProcessAgent t = agent("T", IDLE);
        startManager(List.of("A", "B"), Map.of("pool.allocate.after", "1h"));
        ManagerMXBean m = managerOverJmx();
        m.registerSpare("S", s.url, "", "");
        Await.until("S in the pool", () -> manager.pool().spares().equals(List.of("S")));
        cycles(12);
        for (String id : List.of("A", "B")) {
            for (String d : directivesAt(id)) {
                assertFalse(names(d, "S"), id + " was granted a budget into a registered spare: " + d);
            }
        }
        assertEquals(HostState.SPARE, view("S").state());

        // the same kind of host registering plainly is a member at once, and a target: what the pool prevented
        m.register("T", t.url, "", "");
        Await.until("A is granted a budget into T",
                () -> directivesAt("A").stream().anyMatch(d -> d.contains("PERMIT") && names(d, "T")));
        assertTrue(directivesAt("A").stream().noneMatch(d -> names(d, "S")), directivesAt("A").toString());
    }

    @Test
    void aRegistrationNeverTakesAHostOutOfThePoolNorAnAllocatedOneBackIntoIt() throws Exception {
        agent("A", HOT);
        agent("B", BUSY);
        InProcessAgent c = agent("C", IDLE);  // configured, and a spare by configuration
        InProcessAgent s = agent("S", IDLE);  // registers as a spare, then is allocated
        startManager(List.of("A", "B", "C"), Map.of("pool.spares", "C", "pool.allocate.after", "1h"));
        ManagerMXBean m = managerOverJmx();

        m.register("C", c.url, "", "");      // a plain registration does not un-spare a configured spare
        m.registerSpare("S", s.url, "", "");
        Await.until("S in the pool", () -> manager.pool().spares().equals(List.of("C", "S")));
        m.register("S", s.url, "", "");      // nor does it un-spare a host that registered as a spare
        cycles(8);
        assertEquals(List.of("C", "S"), manager.pool().spares());
        assertEquals(HostState.SPARE, view("C").state());
        assertEquals(HostState.SPARE, view("S").state());
        assertTrue(directivesAt("A").stream().noneMatch(d -> names(d, "C") || names(d, "S")),
                directivesAt("A").toString());

        // a configured member cannot register itself out of the cluster
        RuntimeException e = assertThrows(RuntimeException.class, () -> m.registerSpare("B", farm.agents().get(1).url,
                "", ""));
        assertTrue(String.valueOf(e.getMessage()).contains("(hosts)"), String.valueOf(e.getMessage()));
        assertTrue(manager.pool().spares().equals(List.of("C", "S")) && view("B").state() != HostState.SPARE);
    }

    @Test
    void anAllocatedSpareThatKeepsAnnouncingAsSpareStaysAMember() throws Exception {
        agent("A", HOT);
        agent("B", BUSY);
        InProcessAgent s = agent("S", IDLE);
        startManager(List.of("A", "B"), Map.of("pool.allocate.after", "0s", "pool.coolDown", "1h",
                "pool.release.after", "1h"));
        ManagerMXBean m = managerOverJmx();
        m.registerSpare("S", s.url, "", "");
        Await.until("S allocated", () -> manager.pool().allocated().equals(List.of("S")));
        m.registerSpare("S", s.url, "", "");   // its agent re-announces, still configured host.spare=true
        cycles(8);
        assertEquals(List.of("S"), manager.pool().allocated());
        assertEquals(List.of(), manager.pool().spares());
        Await.until("A is granted a budget into S",
                () -> directivesAt("A").stream().anyMatch(d -> d.contains("PERMIT") && names(d, "S")));
        assertTrue(membershipFile().contains("\nallocated S\n"), "nothing but the file says S is a pool host: "
                + membershipFile());

        // a restarted manager keeps it allocated, though S registers as a spare again before it is in the table
        manager.close();
        connections.forEach(JmxClients::closeQuietly);
        startManager(List.of("A", "B"), Map.of("pool.allocate.after", "1h", "pool.release.after", "1h"));
        assertEquals(List.of("S"), manager.pool().allocated());
        managerOverJmx().registerSpare("S", s.url, "", "");
        Await.until("S polled again", () -> view("S") != null);
        cycles(8);
        assertEquals(List.of("S"), manager.pool().allocated());
        assertEquals(0, manager.pool().allocations());
        Await.until("S shown as a member", () -> view("S").state() != HostState.SPARE);
    }

    @Test
    void aManagerWithoutAPoolRefusesASpareRatherThanMakeItAMember() throws Exception {
        InProcessAgent a = agent("A", IDLE);
        Map<String, String> m = farm.managerSettings("250ms", List.of());
        m.remove("hosts");
        manager = ScriptedFarm.startManager(m);
        RuntimeException e = assertThrows(RuntimeException.class, () -> managerOverJmx().registerSpare("A", a.url,
                "", ""));
        assertTrue(String.valueOf(e.getMessage()).contains("pool.file"), String.valueOf(e.getMessage()));
        assertEquals(0, manager.table().size());
    }
}
