package dev.spillway.bench.hotspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The smoke version of the hotspot benchmark (shape 1, seconds per row): proves the program runs its four rows on
 * fresh processes (d only where haproxy is installed) and that what it writes is well formed. It asserts nothing
 * about the figures but what must hold in any run: pages answered, carts and admin pages never moved.
 */
class HotspotBenchIT {
    @Test
    void smokeRunWritesATableACsvAndAPng() throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/smoke")).resolve("hotspot");
        boolean haproxy = Haproxy.available();
        if (!haproxy) {
            System.out.println("HotspotBenchIT: haproxy is not on PATH (Debian: apt-get install -y haproxy);"
                    + " row d is skipped, a to c still run");
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                buf.write(b);
                System.out.write(b);
            }
        }, true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        HotspotBench.Report r = HotspotBench.run(HotspotBench.Options.parse("--smoke", "--out", out.toString()), tee);
        tee.flush();
        System.out.printf("HotspotBenchIT: smoke run took %.0f s%n", (System.nanoTime() - t0) / 1e9);

        assertEquals(4, r.rows().size());
        for (HotspotBench.RowResult row : r.rows()) {
            String title = row.title();
            assertEquals(Shape.EQUAL, row.shape());
            assertEquals(!row.row().haproxy || haproxy, row.ran(), title + " ran");
            if (row.ran()) {
                assertTrue(row.pages() > 0, title + ": no page answered");
                assertTrue(row.checkCalls() > 0, title + ": no cart or admin call answered");
                assertEquals(0, row.movedStateful(), title + ": a cart call was moved");
                assertEquals(0, row.movedDenied(), title + ": an admin page was moved");
                assertFalse(row.errorKinds().keySet().stream().anyMatch(k -> k.contains("session lost")
                        || k.contains("served by")), title + ": " + row.errorKinds());
            } else {
                assertTrue(row.skipped().contains("haproxy"), row.skipped());
            }
        }
        String text = Files.readString(r.text());
        for (String title : List.of("(a) no offloading", "(b) Spillway redirect", "(c) Spillway proxy",
                "(d) HAProxy leastconn")) {
            assertTrue(text.contains(title), "table lacks " + title);
        }
        assertTrue(text.contains("# machine: ") && text.contains("# command: ") && text.contains("# haproxy: "), text);
        assertTrue(text.contains("load avg start -> end"), text);
        List<String> csv = Files.readAllLines(r.csv());
        assertEquals(5, csv.size(), "CSV: header and 4 rows");
        assertEquals(HotspotBench.CSV_COLUMNS.length, csv.get(0).split(",").length);
        assertEquals(1, r.pngs().size());
        BufferedImage img = ImageIO.read(r.pngs().get(0).toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(560, img.getHeight());
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("(goal 0): "), "goal lines printed");
        if (haproxy) {
            assertTrue(printed.contains("x HAProxy leastconn's"), "p99 compared with leastconn");
        }
    }
}
