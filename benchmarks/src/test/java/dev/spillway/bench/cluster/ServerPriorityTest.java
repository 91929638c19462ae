package dev.spillway.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The system under test starts below the load client's priority, by default and as configured. */
class ServerPriorityTest {
    private static final Path SELF_STAT = Path.of("/proc/self/stat");

    @Test
    void aProcessStartedThroughItRunsNiceFiveBelowThisJvm() throws Exception {
        assumeTrue(Files.isReadable(SELF_STAT), "needs Linux /proc");
        int own = niceOf(Files.readString(SELF_STAT));
        assumeTrue(own <= 14, "this JVM is already too nice to go 5 lower");
        // The child reports its own niceness: field 19 of /proc/self/stat.
        Process p = new ProcessBuilder(ServerPriority.command(List.of("cat", "/proc/self/stat"), ServerPriority.DEFAULT))
                .redirectErrorStream(true).start();
        String stat = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor());
        assertEquals(own + 5, niceOf(stat));
    }

    @Test
    void zeroStartsTheCommandAsItIs() {
        assertEquals(List.of("java", "-version"), ServerPriority.command(List.of("java", "-version"), 0));
    }

    @Test
    void theNicenessIsFiveUnlessConfiguredWithinZeroToNineteen() {
        assertEquals(5, ServerPriority.parse(null));
        assertEquals(5, ServerPriority.parse(" "));
        assertEquals(0, ServerPriority.parse("0"));
        assertEquals(19, ServerPriority.parse(" 19 "));
        assertThrows(IllegalArgumentException.class, () -> ServerPriority.parse("20"));
        assertThrows(IllegalArgumentException.class, () -> ServerPriority.parse("-5"));
        assertThrows(IllegalArgumentException.class, () -> ServerPriority.parse("high"));
    }

    /** Field 19 of a /proc/PID/stat line (counted after the command name, which may hold spaces). */
    private static int niceOf(String stat) throws IOException {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(after[16]); // fields from 3 on: state is 3, nice is 19
    }
}
