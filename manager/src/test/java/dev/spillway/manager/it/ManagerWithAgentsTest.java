package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.manager.HostView;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.manager.policy.HostState;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The manager in this JVM against three scripted agents in child JVMs, over real RMI connectors: A is hot, B
 * idle, C in between. One story, in order: A is told to offload to B; the manager stops and A's lease runs out
 * with no renewal after the stop; a new manager rebuilds its table from registrations alone; an agent that hangs
 * (SIGSTOP) becomes unknown, then failed, while the others keep being served every cycle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagerWithAgentsTest {
    // each 20 workers x 100 ms = 200 requests/s; A gets more than that, C nearly 0.8 of it, B little
    private static final String HOT = "queueDelayMillis=300\nqueueLength=5\nsystemCpu=0.5\nrequestRate=250\n";
    private static final String IDLE = "queueDelayMillis=10\nqueueLength=0\nsystemCpu=0.1\nrequestRate=20\n";
    private static final String WARM = "queueDelayMillis=120\nqueueLength=2\nsystemCpu=0.4\nrequestRate=150\n";

    static Path dir;
    static int managerJmxPort;
    static String managerJmxUrl;
    static ChildAgent a;
    static ChildAgent b;
    static ChildAgent c;
    static Manager manager;
    static long stoppedAt;

    @BeforeAll
    static void startAgents() throws Exception {
        dir = Files.createTempDirectory("spillway-it");
        managerJmxPort = Ports.free();
        managerJmxUrl = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + managerJmxPort + "/jmxrmi";
        a = ChildAgent.start(dir, "A", HOT, managerJmxUrl);
        b = ChildAgent.start(dir, "B", IDLE, managerJmxUrl);
        c = ChildAgent.start(dir, "C", WARM, managerJmxUrl);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (manager != null) {
            manager.close();
        }
        for (ChildAgent x : new ChildAgent[] {a, b, c}) {
            if (x != null) {
                x.close();
            }
        }
    }

    static Manager startManager(boolean configureA) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", String.valueOf(managerJmxPort));
        m.put("poll.interval", "500ms");
        m.put("poll.timeout", "400ms");
        m.put("hysteresis.enter", "2");
        m.put("registration.announce", "300ms");
        if (configureA) {
            m.put("hosts", "A");
            m.put("host.A.jmx", a.url);
        }
        return Manager.start(ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer());
    }

    static Optional<HostView> view(String id) {
        return manager.views().stream().filter(v -> v.id().equals(id)).findFirst();
    }

    @Test
    @Order(1)
    void overloadedHostIsToldToOffloadToTheBestTarget() throws Exception {
        manager = startManager(true);
        Await.until("A, B and C in the table", () -> manager.table().size() == 3);
        assertTrue(manager.table().entries().get(0).configured(), "A came from the config");
        assertFalse(manager.table().entries().get(1).configured(), "B registered itself");

        HostView[] seen = new HostView[1];
        Await.until("A overloaded with a directive, in a cycle that polled B and C", () -> {
            List<HostView> vs = manager.views();
            seen[0] = vs.get(0);
            return vs.size() == 3 && vs.get(0).state() == HostState.OVERLOADED
                    && !vs.get(0).directive().targets().isEmpty()
                    && vs.get(1).state() == HostState.OK && vs.get(2).state() == HostState.OK;
        });
        assertTrue(seen[0].directive().isPermit(), "a standing permit: " + seen[0].directive());
        assertEquals("B", seen[0].directive().targets().get(0), "B has the most spare capacity");
        Await.until("A's agent received a REDIRECT permit, B first", () -> a.directiveLines().stream()
                .anyMatch(l -> l.contains(" PERMIT REDIRECT B")));
        assertEquals("REDIRECT", a.readLoad().getDirectiveMode());
        Await.until("C, not overloaded, holds a permit to B too, in advance", () -> c.directiveLines().stream()
                .anyMatch(l -> l.contains(" PERMIT REDIRECT B")));
        for (ChildAgent x : new ChildAgent[] {b, c}) {
            assertTrue(x.directiveLines().stream().noneMatch(l -> l.matches(".* PERMIT \\w+ [^ ]*\\bA\\b.*")),
                    "A, beyond its capacity, is never a target: " + x.directiveLines());
        }
        // The words, not the figure: the budgets follow the figures every cycle.
        assertTrue(manager.decisions().entries().stream().anyMatch(e -> e.text().matches(
                "A may spill to B \\(\\d+ req/s\\).*overloaded.*")), "decision logged in words: "
                + manager.decisions().entries());
    }

    @Test
    @Order(2)
    void stoppedManagerRenewsNothingAndTheLeaseRunsOut() throws Exception {
        long before = a.applyCount();
        Await.until("a renewal", () -> a.applyCount() > before);
        manager.close();
        stoppedAt = System.currentTimeMillis();
        manager = null;
        Await.until("A back to LOCAL by lease expiry", () -> {
            try {
                return a.readLoad().getDirectiveMode().equals("LOCAL");
            } catch (Exception e) {
                return false;
            }
        });
        for (String line : a.directiveLines()) {
            long t = Long.parseLong(line.substring(0, line.indexOf(' ')));
            assertTrue(t <= stoppedAt, "directive call after the manager stopped: " + line);
        }
        assertFalse(a.directiveLines().get(a.directiveLines().size() - 1).endsWith("CLEAR"),
                "LOCAL came from the lease, not from a clear");
    }

    @Test
    @Order(3)
    void restartedManagerRebuildsItsTableFromRegistrations() throws Exception {
        manager = startManager(false);
        Await.until("A, B and C registered again", () -> manager.table().size() == 3);
        assertTrue(manager.table().entries().stream().noneMatch(e -> e.configured()));
        long before = a.applyCount();
        Await.until("A offloading again", () -> a.applyCount() > before
                && view("A").map(v -> v.state() == HostState.OVERLOADED).orElse(false));
    }

    @Test
    @Order(4)
    void hungAgentGoesUnknownThenFailedWithoutDelayingTheOthers() throws Exception {
        Await.until("B and C ok", () -> view("C").map(v -> v.state() == HostState.OK).orElse(false)
                && view("B").map(v -> v.state() == HostState.OK).orElse(false));
        List<HostState> cStates = new ArrayList<>();
        List<HostState> bStates = new ArrayList<>();
        c.signal("STOP");
        try {
            long applyAtStop = a.applyCount();
            Await.until("C failed", () -> {
                HostState s = view("C").get().state();
                if (cStates.isEmpty() || cStates.get(cStates.size() - 1) != s) {
                    cStates.add(s);
                }
                bStates.add(view("B").get().state());
                return s == HostState.FAILED;
            });
            long cycles = manager.loop().cycles();
            Await.until("three more cycles", () -> manager.loop().cycles() >= cycles + 3);
            assertEquals(List.of(HostState.OK, HostState.UNKNOWN, HostState.FAILED), cStates);
            // B may miss a deadline on a busy machine, but C's hang must never cost B its place
            assertTrue(bStates.stream().noneMatch(s -> s == HostState.FAILED), "B failed while C hung: " + bStates);
            assertTrue(a.applyCount() > applyAtStop, "A's lease kept being renewed while C hung");
            assertTrue(view("A").get().directive().targets().stream().noneMatch("C"::equals));
        } finally {
            c.signal("CONT");
        }
        Await.until("C back to ok once it answers again", () -> view("C").get().state() == HostState.OK);
    }
}
