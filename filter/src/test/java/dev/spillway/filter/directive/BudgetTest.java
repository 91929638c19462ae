package dev.spillway.filter.directive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.filter.peers.Peer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BudgetTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBudgetLetsItsRateThroughWithAShortBurstAndNoMore() {
        Budget b = new Budget(100, 0);
        int burst = 0;
        while (b.take(0)) {
            burst++;
        }
        assertEquals(10, burst, "a tenth of a second's worth at once");
        int later = 0;
        for (long t = 0; t <= SECOND; t += SECOND / 1000) {
            if (b.take(t)) {
                later++;
            }
        }
        assertEquals(100, later, 1, "then the rate");
    }

    @Test
    void looksAtRandomMomentsStillGetTheWholeBudget() {
        // workers look for budget only when they pick a request up: here every 10 ms on average, at random
        java.util.Random rnd = new java.util.Random(7);
        Budget b = new Budget(19, 0);
        int taken = 0;
        for (long t = 0; t < 10 * SECOND; t += (long) (-Math.log(1 - rnd.nextDouble()) * 10_000_000L)) {
            if (b.take(t)) {
                taken++;
            }
        }
        assertTrue(taken >= 0.95 * 190 && taken <= 190 + 2, taken + " of 190 in 10 s");
    }

    @Test
    void aZeroBudgetTakesNothingAndATinyOneTakesOne() {
        assertFalse(new Budget(0, 0).take(0));
        Budget tiny = new Budget(0.1, 0);
        assertTrue(tiny.take(0));
        assertFalse(tiny.take(SECOND));
        assertTrue(tiny.take(10 * SECOND));
    }

    @Test
    void concurrentRequestsNeverTakeMoreThanTheBudget() throws Exception {
        Budget b = new Budget(1000, System.nanoTime());
        int threads = 8;
        AtomicLong taken = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        long start = System.nanoTime();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < 200_000; k++) {
                    if (b.take(System.nanoTime())) {
                        taken.incrementAndGet();
                    }
                }
            });
            t.start();
            all.add(t);
        }
        go.countDown();
        for (Thread t : all) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(taken.get() <= 1000 * seconds + 100 + 1, taken.get() + " taken in " + seconds + " s at 1000/s");
        assertTrue(taken.get() >= 1, "some were taken");
    }

    @Test
    void aPermitSharesRequestsAmongTargetsInProportionToTheirBudgets() {
        Peer b = Peer.parse("b=http://127.0.0.1:1/app");
        Peer c = Peer.parse("c=http://127.0.0.1:2/app");
        DirectiveSlot slot = new DirectiveSlot(List.of(b, c), () -> 0L);
        slot.apply(Directive.permit(OffloadMode.REDIRECT, List.of("b", "c"), List.of(300.0, 100.0), 60_000));
        ActiveDirective d = slot.offloading(0);
        assertTrue(d.isPermit());
        Map<String, Integer> got = new HashMap<>();
        for (long t = 0; t < SECOND; t += SECOND / 2000) {   // 2000 requests a second want to spill
            Peer p = d.takeWithinBudget(PeerAvailability.ALWAYS, t);
            if (p != null) {
                got.merge(p.id(), 1, Integer::sum);
            }
        }
        // each gets its second's budget, at most its burst more, and the two in proportion
        assertTrue(got.get("b") >= 300 && got.get("b") <= 330, "b: " + got);
        assertTrue(got.get("c") >= 100 && got.get("c") <= 110, "c: " + got);
        assertEquals(3.0, (double) got.get("b") / got.get("c"), 0.3, "in proportion to the budgets: " + got);
    }

    @Test
    void aSuspectTargetIsSkippedAndAllSuspectMeansServeHere() {
        Peer b = Peer.parse("b=http://127.0.0.1:1/app");
        Peer c = Peer.parse("c=http://127.0.0.1:2/app");
        DirectiveSlot slot = new DirectiveSlot(List.of(b, c), () -> 0L);
        slot.apply(Directive.permit(OffloadMode.PROXY, List.of("b", "c"), List.of(100.0, 100.0), 60_000));
        ActiveDirective d = slot.offloading(0);
        for (int i = 0; i < 5; i++) {
            assertEquals("c", d.takeWithinBudget(p -> !p.id().equals("b"), 0).id());
        }
        assertEquals(null, d.takeWithinBudget(p -> false, 0));
    }

    @Test
    void aPermitWithBudgetsAndAFractionIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Directive(OffloadMode.PROXY, List.of("b"), 0.5, List.of(10.0), 1000));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Directive.permit(OffloadMode.PROXY, List.of("b", "c"), List.of(10.0), 1000));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Directive.permit(OffloadMode.PROXY, List.of("b"), List.of(Double.NaN), 1000));
    }
}
