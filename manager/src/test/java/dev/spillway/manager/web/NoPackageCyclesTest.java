package dev.spillway.manager.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.testkit.PackageGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No package of the manager imports a package that imports it back (shared/DESIGN.md). */
class NoPackageCyclesTest {
    private static PackageGraph graph() throws Exception {
        return PackageGraph.of(ManagerConsole.class, "dev.spillway.manager");
    }

    @Test
    void theManagersPackagesFormNoCycle() throws Exception {
        PackageGraph g = graph();
        assertTrue(g.uses().containsKey("dev.spillway.manager.web") && g.uses().size() >= 4,
                "classes not found: " + g.uses());
        assertEquals(List.of(), g.cycles());
    }

    @Test
    void theWebLayerSeesTheManagerOnlyThroughItsConsole() throws Exception {
        assertFalse(graph().usedBy("dev.spillway.manager.web").contains("dev.spillway.manager"),
                "dev.spillway.manager.web must not use dev.spillway.manager (use ManagerConsole)");
    }
}
