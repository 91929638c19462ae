package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The demo itself, shortened: three servers, the manager, the skewed load first with offloading off (the manager
 * only watching), then on. With offloading off the hot server queues and moves nothing; once on, it moves pages to
 * its peers and no request fails or is lost; carts and admin pages are never moved, and every cart counts 1, 2, 3
 * on the server it was sent to. How much it relieves the hot server (queue delay, p99) is a speed comparison: the
 * demo prints it, the hotspot benchmark measures it (BENCHMARKS.md); a test on a shared machine does not assert it.
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

        // The scenario is what it claims: more than the hot server's workers can take, so requests wait for them.
        assertTrue(off.hotQueueDelayMillis() > 0, "the hot server never queued with offloading off: " + both);
        // Nothing lost: every request was answered (errors, above, counts the failed ones).
        assertEquals(0, r.unanswered(), "requests never answered: " + both);
        // Only the excess leaves: the hot server still serves pages itself (it moves one only while backed up).
        assertTrue(on.hotPages() > 0 && on.movedPages() < on.hotPages(), both);

        assertTrue(off.cartCalls() > 0 && on.cartCalls() > 0 && off.adminCalls() > 0 && on.adminCalls() > 0, both);
        assertEquals(0, off.movedStateful() + on.movedStateful(), "stateful /cart calls moved: " + both);
        assertEquals(0, off.movedDenied() + on.movedDenied(), "denied /admin calls moved: " + both);
        // Every cart call answered the count it should have (errors == 0 above); and whole carts did complete.
        assertTrue(off.cartsCompleted() > 0 && on.cartsCompleted() > 0, both);
    }
}
