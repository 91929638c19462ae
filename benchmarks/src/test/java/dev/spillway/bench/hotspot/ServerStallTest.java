package dev.spillway.bench.hotspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spillway.bench.report.Usage;
import org.junit.jupiter.api.Test;

/** {@code --stall AT:MS}: parsed, bounded, and off by default. */
class ServerStallTest {
    @Test
    void theStallIsParsedAndOffByDefault() {
        assertNull(HotspotBench.Options.parse("--shape", "5").stall());
        assertEquals(new ServerStall.Spec(0, 2000), HotspotBench.Options.parse("--stall", "0:2000").stall());
        assertEquals(new ServerStall.Spec(10.5, 500), HotspotBench.Options.parse("--stall", "10.5:500").stall());
        assertThrows(Usage.class, () -> HotspotBench.Options.parse("--stall", "2000"));
        assertThrows(Usage.class, () -> HotspotBench.Options.parse("--stall", "0:0"));
    }
}
