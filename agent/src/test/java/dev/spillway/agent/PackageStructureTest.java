package dev.spillway.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.core.Agent;
import dev.spillway.testkit.PackageGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's packages form no cycle, and the contract the filter and manager share uses nothing else of it. */
class PackageStructureTest {
    @Test
    void noPackageCycle() throws Exception {
        PackageGraph g = PackageGraph.of(Agent.class, "dev.spillway.agent");
        assertTrue(g.uses().size() >= 6, "classes not found: " + g.uses());
        assertEquals(List.of(), g.cycles());
    }

    @Test
    void theContractIsALeaf() throws Exception {
        assertEquals(java.util.Set.of(), PackageGraph.of(Agent.class, "dev.spillway.agent")
                .usedBy("dev.spillway.agent.contract"));
    }

    @Test
    void theSettingsPackageIsALeaf() throws Exception {
        // The filter JAR, the agent and the manager all read settings through it: it may use only the JDK.
        PackageGraph all = PackageGraph.of(Agent.class, "dev.spillway");
        assertTrue(all.uses().containsKey("dev.spillway.settings"), "settings classes not found: " + all.uses());
        assertEquals(java.util.Set.of(), all.usedBy("dev.spillway.settings"));
    }
}
