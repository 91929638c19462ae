package dev.spillway.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.testkit.PackageGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The filter's packages form no cycle, and only the root package (OffloadFilter, the adapter that wires the parts)
 * may use the others' entry points: the subpackages never use the root, whose shared types live in leaf packages
 * ({@code peers}, {@code hop}).
 */
class PackageStructureTest {
    @Test
    void noPackageCycle() throws Exception {
        PackageGraph g = PackageGraph.of(OffloadFilter.class, "dev.spillway.filter");
        assertTrue(g.uses().size() >= 8, "classes not found: " + g.uses());
        assertEquals(List.of(), g.cycles());
    }

    @Test
    void noSubpackageUsesTheRootPackage() throws Exception {
        PackageGraph g = PackageGraph.of(OffloadFilter.class, "dev.spillway.filter");
        for (String pkg : g.uses().keySet()) {
            assertFalse(g.usedBy(pkg).contains("dev.spillway.filter"), pkg + " uses the root package: " + g.usedBy(pkg));
        }
    }

    @Test
    void theSharedTypesAreLeaves() throws Exception {
        PackageGraph g = PackageGraph.of(OffloadFilter.class, "dev.spillway.filter");
        assertEquals(java.util.Set.of(), g.usedBy("dev.spillway.filter.peers"));
        assertEquals(java.util.Set.of("dev.spillway.filter.peers"), g.usedBy("dev.spillway.filter.hop"));
    }
}
