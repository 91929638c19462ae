package dev.spillway.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path dir;

    @Test
    void textTableAlignsColumnsAndRightAlignsNumbers() {
        Table t = new Table("row", "p99 ms", "note").row("a", "1234", "slow").row("bb", Table.num(5.24), "-");
        List<String> lines = t.toText().lines().toList();
        assertEquals(4, lines.size());
        assertEquals("row  p99 ms  note", lines.get(0));
        assertEquals("---  ------  ----", lines.get(1));
        assertEquals("a      1234  slow", lines.get(2));
        assertEquals("bb      5.2     -", lines.get(3));
    }

    @Test
    void markdownAndCsv() {
        Table t = new Table("x", "y").row("a|b", "1,5");
        assertEquals("| x | y |\n|---|---|\n| a\\|b | 1,5 |\n", t.toMarkdown());
        assertEquals("x,y\na|b,\"1,5\"\n", t.toCsv());
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
    }

    @Test
    void numbersAreRoundedByMagnitude() {
        assertEquals("1234", Table.num(1234.4));
        assertEquals("12.3", Table.num(12.34));
        assertEquals("0.12", Table.num(0.1234));
        assertEquals("-", Table.num(Double.NaN));
    }

    @Test
    void barChartWritesADecodablePngOfTheRequestedSize() throws Exception {
        Path png = dir.resolve("sub/bars.png");
        Chart.bars("Latency", "ms", List.of("(a) none", "(b) redirect", "(c) proxy")).logY().size(640, 400)
                .series("p50", 50, 51, Double.NaN).series("p99", 9000, 80, 70).mark("goal", 100)
                .writePng(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        assertTrue(Files.size(png) > 1000);
        assertTrue(colours(img) > 3, "something was drawn");
    }

    @Test
    void lineChartWithGapsRenders() throws Exception {
        Path png = dir.resolve("lines.png");
        Chart.lines("Queue delay", "seconds", "ms").series("a", new double[] {0, 1, 2, 3},
                new double[] {1, Double.NaN, 30, 4}).series("b", new double[] {0, 3}, new double[] {2, 2})
                .writePng(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(560, img.getHeight());
        assertThrows(IllegalStateException.class, () -> Chart.lines("t", "x", "y").series("bad", 1, 2));
        assertThrows(IllegalArgumentException.class, () -> Chart.bars("t", "y", List.of("a")).series("s", 1, 2));
    }

    @Test
    void logAxisSpansWholeDecades() {
        Chart c = Chart.bars("t", "ms", List.of("a", "b")).logY().series("s", 3, 4200);
        double[] r = c.yRange();
        assertEquals(1, r[0]);
        assertEquals(10000, r[1]);
    }

    @Test
    void runInfoNamesMachineVersionsAndCommand() {
        System.setProperty("bench.command", "benchmarks/hotspot-bench.sh --smoke");
        try {
            RunInfo info = RunInfo.capture();
            assertEquals(Runtime.getRuntime().availableProcessors(), info.cores());
            assertTrue(info.jetty().startsWith("12."), info.jetty());
            assertEquals("benchmarks/hotspot-bench.sh --smoke", info.command());
            assertEquals(6, info.lines().size());
            assertTrue(info.lines().stream().allMatch(l -> l.startsWith("# ")));
            assertNotEquals("", RunInfo.loadAverage());
        } finally {
            System.clearProperty("bench.command");
        }
    }

    private static int colours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 4) {
            for (int x = 0; x < img.getWidth(); x += 4) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
