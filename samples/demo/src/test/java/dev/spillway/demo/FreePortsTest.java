package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    /**
     * The bench and the demo pick every child's ports before the children bind them (a manager still booting), so a
     * port handed out twice is two children on one port. A thousand random picks from ~22,000 ports would repeat one
     * almost surely (the birthday bound) if nothing remembered them.
     */
    @Test
    void neverHandsOutAPortTwice() throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(FreePorts.pick());
        }
        assertEquals(1000, seen.size());
    }
}
