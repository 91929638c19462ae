package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The demo itself, shortened: three servers, the manager, the skewed load first with offloading off (the manager
 * only watching), then on. Under the same load the hot server's queue delay and p99 drop once it offloads; carts
 * and admin pages are never moved, and every cart counts 1, 2, 3 on the server it was sent to.
 */
class SkewedLoadIT {

    @Test
    void offloadingRelievesTheHotServerAndNeverMovesStatefulOrDeniedPages() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Demo.Report r;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            r = Demo.run(new Demo.Options(30, 3, 0, "redirect", E2e.runDir("skewed"), false), out);
        } finally {
            System.out.println(buf.toString(StandardCharsets.UTF_8));
        }
        PhaseStats off = r.off();
        PhaseStats on = r.on();
        String both = off + "\n" + on;

        assertEquals(0, off.errors(), both);
        assertEquals(0, on.errors(), both);
        assertEquals(0, off.movedPages(), "offloading was off in phase 1, yet pages moved: " + both);
        assertTrue(on.movedPages() > 0, "offloading never started: " + both);

        assertTrue(on.hotQueueDelayMillis() < off.hotQueueDelayMillis(),
                "the hot server's queue delay did not drop: " + both);
        assertTrue(on.hotP99Millis() < off.hotP99Millis(), "the hot server's p99 did not drop: " + both);

        assertTrue(off.cartCalls() > 0 && on.cartCalls() > 0 && off.adminCalls() > 0 && on.adminCalls() > 0, both);
        assertEquals(0, off.movedStateful() + on.movedStateful(), "stateful /cart calls moved: " + both);
        assertEquals(0, off.movedDenied() + on.movedDenied(), "denied /admin calls moved: " + both);
        // Every cart call answered the count it should have (errors == 0 above); and whole carts did complete.
        assertTrue(off.cartsCompleted() > 0 && on.cartsCompleted() > 0, both);
    }
}
