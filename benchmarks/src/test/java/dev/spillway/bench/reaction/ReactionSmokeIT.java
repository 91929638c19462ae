package dev.spillway.bench.reaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reaction program, shortened to seconds ({@code --smoke}): it runs end to end and writes well-formed output.
 * The figures of a smoke run mean nothing and are not checked; the full run is in BENCHMARKS.md.
 */
class ReactionSmokeIT {
    @Test
    @Timeout(180)
    void smokeRunWritesEveryOutput() throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/smoke")).resolve("reaction");
        ReactionBench.Options o = ReactionBench.Options.parse(new String[] {"--smoke", "--out", out.toString()});
        List<ReactionBench.RowResult> rows = ReactionBench.run(o, "--smoke --out " + out);
        assertEquals(1, rows.size());

        String report = Files.readString(out.resolve("report.txt"));
        assertTrue(report.contains("cores: "), report);
        assertTrue(report.contains("command: "), report);
        Map<String, String> props = Report.parse(Files.readString(out.resolve("report.properties")));
        assertEquals("defaults", props.get("rows"));
        assertNotNull(props.get("row.defaults.manager.command"));
        for (Report.Field f : Report.fields(o)) {
            String v = props.get("row.defaults." + f.key());
            assertNotNull(v, "report.properties has no " + f.key());
            assertFalse(v.isBlank(), f.key());
            assertTrue(report.contains(f.words()), "report.txt has no line for " + f.key());
        }
        assertTrue(Double.parseDouble(props.get("row.defaults.capacity.measured")) > 0, "a served something");

        Path row = out.resolve("defaults");
        List<String> timeline = Files.readAllLines(row.resolve("timeline.csv"));
        assertTrue(timeline.size() > 10, "timeline has a line per second: " + timeline.size());
        assertTrue(timeline.get(0).startsWith("second,offered_a,"), timeline.get(0));
        assertTrue(Files.readAllLines(row.resolve("samples.csv")).size() > 20, "samples every 250 ms");
        assertTrue(Files.readString(row.resolve("changes.csv")).startsWith("t_s,from,to"));
        assertTrue(Files.readString(row.resolve("decisions.json")).startsWith("["));
        BufferedImage png = ImageIO.read(row.resolve("timeline.png").toFile());
        assertNotNull(png, "timeline.png decodes");
        assertTrue(png.getWidth() >= 800 && png.getHeight() >= 600);
    }
}
