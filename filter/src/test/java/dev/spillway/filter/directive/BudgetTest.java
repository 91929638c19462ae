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
        assertEquals(25, burst, "a quarter of a second's worth at once");
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
        assertTrue(taken >= 0.95 * 190 && taken <= 190 + Budget.burstOf(19), taken + " of 190 in 10 s");
    }

    @Test
    void workersThatFreeInBunchesOncePerServiceTimeGetTheWholeBudget() {
        // ten workers that started together free together: ten looks at once every 100 ms (hotspot shape 2, 28/s)
        Budget b = new Budget(28, 0);
        int taken = 0;
        for (long t = 0; t < 10 * SECOND; t += SECOND / 10) {
            for (int look = 0; look < 10; look++) {
                if (b.take(t)) {
                    taken++;
                }
            }
        }
        assertTrue(taken >= 0.97 * 280 && taken <= 280 + Budget.burstOf(28), taken + " of 280 in 10 s");
    }

    @Test
    void aRenewedPermitKeepsWhatItsBudgetsHadSpentAndGrantsNoFreshBurst() {
        Peer b = Peer.parse("b=http://127.0.0.1:1/app");
        DirectiveSlot slot = new DirectiveSlot(List.of(b), () -> 0L);
        Directive permit = Directive.permit(OffloadMode.REDIRECT, List.of("b"), List.of(40.0), 5_000);
        slot.apply(permit);
        int taken = 0;
        while (slot.offloading(0).takeWithinBudget(PeerAvailability.ALWAYS, 0) != null) {
            taken++;
        }
        assertEquals(Budget.burstOf(40), taken, "the burst of a fresh permit");
        slot.apply(permit); // the manager renews it, same instant
        assertEquals(null, slot.offloading(0).takeWithinBudget(PeerAvailability.ALWAYS, 0), "no second burst from a renewal");
        slot.apply(Directive.permit(OffloadMode.REDIRECT, List.of("b"), List.of(80.0), 5_000));
        int more = 0;
        while (slot.offloading(0).takeWithinBudget(PeerAvailability.ALWAYS, 0) != null) {
            more++;
        }
        assertEquals(Budget.burstOf(80) - Budget.burstOf(40), more,
                "a bigger budget starts with as many requests spent as the old one had");
        slot.clear();
        slot.apply(permit);
        assertTrue(slot.offloading(0).takeWithinBudget(PeerAvailability.ALWAYS, 0) != null, "after a clear, a fresh burst");
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
        assertTrue(taken.get() <= 1000 * seconds + Budget.burstOf(1000) + 1,
                taken.get() + " taken in " + seconds + " s at 1000/s");
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
        for (long t = 0; t < 4 * SECOND; t += SECOND / 2000) {   // 2000 requests a second want to spill, 4 s
            Peer p = d.takeWithinBudget(PeerAvailability.ALWAYS, t);
            if (p != null) {
                got.merge(p.id(), 1, Integer::sum);
            }
        }
        // each gets its 4 s of budget, at most its burst more, and the two in proportion
        assertTrue(got.get("b") >= 1200 && got.get("b") <= 1200 + Budget.burstOf(300), "b: " + got);
        assertTrue(got.get("c") >= 400 && got.get("c") <= 400 + Budget.burstOf(100), "c: " + got);
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
