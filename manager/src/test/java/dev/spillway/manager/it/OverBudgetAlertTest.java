package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.core.Agent;
import dev.spillway.agent.core.AgentSettings;
import dev.spillway.agent.sampling.LocalJvm;
import dev.spillway.scripted.ScriptedExtras;
import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.manager.HostView;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spills over budget, end to end: real agents (scripted figures) register with a real manager over RMI. When the
 * hot host's filter starts counting requests that found its pool backed up and no budget left, its agent alerts and
 * the manager re-plans at once from the fresh figures, instead of at its next cycle, which these tests put 30 s away
 * so that only the alert can explain a decision in between. The queue figures stay far below the surge marks
 * (100 requests, 400 ms), so the surge alert cannot be what brought the cycle forward.
 */
class OverBudgetAlertTest {
    private static final String CAPACITY = " maxWorkers=20 serviceTimeMillis=100 systemCpu=0.1";

    @TempDir
    Path dir;
    private Manager manager;
    private final List<Agent> agents = new ArrayList<>();

    @AfterEach
    void stop() {
        agents.forEach(Agent::close);
        if (manager != null) {
            manager.close();
        }
    }

    private Manager startManager() throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", "0");
        m.put("poll.interval", "30s");
        return Manager.start(ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer());
    }

    private Agent startAgent(String id, String sampleInterval, String script) throws Exception {
        Path file = dir.resolve(id + ".script");
        Files.writeString(file, script);
        AgentSettings s = AgentSettings.from(ConfigValues.of(Map.of("host.id", id,
                "jmx.port", "0", "sample.interval", sampleInterval,
                "manager.url", manager.jmxUrl(), "host.web-base-url", "http://127.0.0.1:1/" + id)));
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        Agent a = Agent.start(s, mbs, List.of(new LocalJvm(mbs)), new ScriptedExtras(file, "script"));
        agents.add(a);
        return a;
    }

    /**
     * One sample at start and none for a minute: hot's pool has a request waiting (which arms the quick checks; its
     * queue length, busy workers included, stays below a quarter of the surge mark), and from 2 s on 60 requests/s
     * find no budget. Only a quick check can see that.
     */
    @Test
    void theFirstSpillsOverBudgetBringTheManagersPlanForward() throws Exception {
        manager = startManager();
        Await.until("the first regular cycle", () -> manager.loop().cycles() == 1);
        Agent idle = startAgent("idle", "60s", "0s queueDelayMillis=5 queueLength=0 requestRate=50" + CAPACITY + "\n");
        Agent hot = startAgent("hot", "60s", "0s queueDelayMillis=20 queueLength=19 waitingRequests=1 requestRate=150"
                + CAPACITY + "\n2s requestRate=200 queueLength=22 waitingRequests=2 queueDelayMillis=40"
                + " overBudgetRate=60\n");
        Await.until("both registered", () -> manager.table().size() == 2);

        Await.until("hot's agent alerted over budget", () -> hot.overBudgetAlerts() >= 1);
        Await.until("the manager granted hot a budget into idle", () -> budgetInto("hot", "idle") > 0);
        Await.until("that cycle counted", () -> manager.loop().cycles() >= 2);
        assertEquals(1, manager.loop().cycles() - manager.loop().earlyCycles(),
                "planned by an early cycle, not by the regular one 30 s after the first");
        HostLoad planned = view("hot").load();
        assertEquals(200.0, planned.getRequestRate(), "the manager planned from a fresh sample, after the step");
        assertTrue(planned.getOverBudgetRate() > 0, "the fresh sample carries the demand the budgets missed");
        assertEquals(0, idle.overBudgetAlerts());
    }

    /**
     * The plan the alert brings forward sizes hot's budget from the over-budget demand too. hot and warm may both
     * spill into idle (idle's spare: 0.8 x 200 - 50 = 110 requests/s; warm at 155 of 200 has none of its own), and
     * idle's spare is shared in proportion to excess + over budget + floor: hot 40 + 60 + 10, warm 0 + 0 + 10. With
     * the over-budget demand hot gets 110 x 110/120 = 100 requests/s; from its excess alone it would get
     * 110 x 50/60 = 91.
     */
    @Test
    void theReplannedBudgetCoversTheDemandTheOldOneMissed() throws Exception {
        manager = startManager();
        Await.until("the first regular cycle", () -> manager.loop().cycles() == 1);
        startAgent("idle", "200ms", "0s queueDelayMillis=5 queueLength=0 requestRate=50" + CAPACITY + "\n");
        startAgent("warm", "200ms", "0s queueDelayMillis=5 queueLength=0 requestRate=155" + CAPACITY + "\n");
        Agent hot = startAgent("hot", "200ms", "0s queueDelayMillis=20 queueLength=0 requestRate=200" + CAPACITY
                + "\n2s queueLength=3 queueDelayMillis=40 overBudgetRate=60\n");
        Await.until("all three registered", () -> manager.table().size() == 3);

        Await.until("hot's agent alerted over budget", () -> hot.overBudgetAlerts() >= 1);
        Await.until("the manager granted hot a budget into idle", () -> budgetInto("hot", "idle") > 0);
        Await.until("that cycle counted", () -> manager.loop().cycles() >= 2);
        assertEquals(1, manager.loop().cycles() - manager.loop().earlyCycles(),
                "planned by an early cycle, not by the regular one 30 s after the first");
        double budget = budgetInto("hot", "idle");
        assertTrue(budget >= 95 && budget <= 110, "hot's budget into idle: " + budget + " req/s; " + view("hot"));
        assertTrue(budgetInto("warm", "idle") + budget <= 110.0 + 1e-9, "idle promised more than its spare: "
                + manager.loop().views());
    }

    private HostView view(String id) {
        return manager.loop().views().stream().filter(v -> v.entry().id().equals(id)).findFirst().orElseThrow();
    }

    /** The budget (requests/s) the manager's last cycle granted {@code source} into {@code target}; 0 if none. */
    private double budgetInto(String source, String target) {
        return manager.loop().views().stream().filter(v -> v.entry().id().equals(source)).findFirst()
                .map(v -> {
                    Directive d = v.directive();
                    int i = d.targets().indexOf(target);
                    return d.isPermit() && i >= 0 ? d.budgets().get(i) : 0.0;
                }).orElse(0.0);
    }
}
