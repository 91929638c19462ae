package dev.spillway.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.filter.directive.ActiveDirective;
import dev.spillway.filter.directive.DirectiveSlot;
import dev.spillway.filter.directive.PeerAvailability;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.jmx.FilterCounters;
import dev.spillway.filter.peers.Peer;
import dev.spillway.filter.rules.PageRules;
import dev.spillway.filter.testing.StubRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code SpillOverBudget} counts the requests that should have left and did not (the backlog they added), not every
 * request a backed-up pool served while its budgets were spent: the manager reads its rate as unmet demand.
 */
class OverBudgetCountTest {
    private static final int SPILL_WAITING = 2;
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(SECOND);
    private final FilterCounters counters = new FilterCounters();
    private final OffloadDecider decider = new OffloadDecider(new Eligibility(List.of("GET", "HEAD"),
            new PageRules(List.of(), List.of(), List.of()), true,
            new HopMarker("0123456789abcdef".getBytes(StandardCharsets.UTF_8), 30_000, System::currentTimeMillis)),
            counters, PeerAvailability.ALWAYS, SPILL_WAITING);
    private final StubRequest page = StubRequest.get("/catalog");

    private ActiveDirective permit(double budgetPerSecond) {
        DirectiveSlot slot = new DirectiveSlot(List.of(Peer.parse("b=http://127.0.0.1:8081/shop")), now::get);
        slot.apply(Directive.permit(OffloadMode.REDIRECT, List.of("b"), List.of(budgetPerSecond), 600_000));
        return slot.offloading(now.get());
    }

    /** One request under the permit, as the filter judges it: true if it spilled. */
    private boolean judge(ActiveDirective permit, int waiting) {
        decider.poolSeen(waiting);
        if (waiting < SPILL_WAITING) {
            return false; // the valve stays shut
        }
        return decider.spill(permit, page, Eligibility.checkedPath(page), now.get(), waiting) != null;
    }

    @Test
    void aPoolStandingAFewDeepWithEveryBudgetSpentCountsItsDepthOnceNotItsThroughput() {
        ActiveDirective spent = permit(0);
        for (int i = 0; i < 500; i++) { // 10 s of a 50-worker pool of 1 s pages, each pickup seeing 4 behind it
            judge(spent, 4);
            now.addAndGet(SECOND / 50);
        }
        assertEquals(3, counters.overBudget(), "the 3 requests beyond the one the valve lets wait, not 500");
    }

    @Test
    void aGrowingBacklogCountsItsGrowthAndAPoolThatDrainedCountsAfresh() {
        ActiveDirective spent = permit(0);
        judge(spent, 2);
        assertEquals(1, counters.overBudget(), "the first refusal counts: the agent's over-budget alert fires on it");
        for (int w = 3; w <= 10; w++) {
            judge(spent, w);
            judge(spent, w); // a second pickup at the same depth added nothing
        }
        assertEquals(9, counters.overBudget(), "the backlog rose from 1 to 10");
        judge(spent, 6);
        judge(spent, 9);
        assertEquals(9, counters.overBudget(), "back within its old depth: nothing new");
        judge(spent, 1); // drained to what the valve lets wait
        judge(spent, 3);
        judge(spent, 3);
        judge(spent, 3);
        assertEquals(11, counters.overBudget(), "backed up again to 3: two more");
    }

    @Test
    void aBacklogWorkedOffByItsOwnWorkersWithTheBudgetSpentCountsEachRequestTakenFromIt() {
        ActiveDirective spent = permit(0);
        for (int w = 6; w >= 2; w--) { // a bunch of workers freed at once: an unlimited budget would have moved all 5
            judge(spent, w);
        }
        assertEquals(5, counters.overBudget());
        judge(spent, 1); // the valve shut: the pool has drained
        judge(spent, 4);
        judge(spent, 4);
        judge(spent, 4);
        judge(spent, 4);
        assertEquals(8, counters.overBudget(), "backed up again to 4: three more, not four");
    }

    @Test
    void withNoPermitTheBacklogsGrowthCountsAlike() {
        for (int w = 2; w <= 6; w++) {
            decider.poolSeen(w);
            decider.noPermit(page, Eligibility.checkedPath(page), w);
            decider.poolSeen(w);
            decider.noPermit(page, Eligibility.checkedPath(page), w);
        }
        assertEquals(5, counters.overBudget(), "from 1 to 6 waiting, not the 10 requests served");
    }

    @Test
    void aRefusalWithNoBacklogBehindItCountsEachTime() {
        ActiveDirective spent = permit(0);
        for (int i = 0; i < 5; i++) { // the valve opened on the CPU signal or the reserve
            decider.poolSeen(0);
            decider.spill(spent, page, Eligibility.checkedPath(page), now.get(), 0);
            decider.spill(spent, page, Eligibility.checkedPath(page), now.get(), -1);
        }
        assertEquals(10, counters.overBudget());
    }

    /**
     * The benchmark's {@code long1s} shape: 50 workers, 1 s pages, 63 requests/s (126%), so 13/s beyond what the
     * pool serves. With a budget of 8/s (of which the pool, asking only at pickups, spends 6-7) the backlog grows by
     * about 7/s, and so should the count; every pickup with the bucket empty, about the pool's 50/s, is what it
     * counted before.
     */
    @Test
    void aPoolShortOfBudgetAtASteadyRateCountsAboutItsShortfallNotItsThroughput() {
        PoolRun run = new PoolRun(50, SECOND, 63, permit(8));
        run.until(10 * SECOND);
        long countedBefore = counters.overBudget();
        int backlogBefore = run.waiting;
        run.until(30 * SECOND);
        double countedRate = (counters.overBudget() - countedBefore) / 20.0;
        double growthRate = (run.waiting - backlogBefore) / 20.0;
        double refusedRate = run.refusedAfter10s / 20.0;
        String figures = "counted " + countedRate + "/s, backlog grew " + growthRate + "/s, refused " + refusedRate
                + "/s";
        assertTrue(refusedRate > 40, "the pool met the empty bucket at about its throughput: " + figures);
        assertTrue(Math.abs(countedRate - growthRate) <= 1, figures);
        assertTrue(countedRate > 3 && countedRate < 10, "about the shortfall: " + figures);
    }

    /** A discrete-event pool in simulated time: Poisson arrivals, fixed service time, the valve at each pickup. */
    private final class PoolRun {
        private final int workers;
        private final long serviceNanos;
        private final ActiveDirective permit;
        private final Random random = new Random(11);
        private final double meanGapNanos;
        private final PriorityQueue<Long> finishing = new PriorityQueue<>();
        private long nextArrival;
        private int waiting;
        private long refusedAfter10s;

        PoolRun(int workers, long serviceNanos, double perSecond, ActiveDirective permit) {
            this.workers = workers;
            this.serviceNanos = serviceNanos;
            this.permit = permit;
            this.meanGapNanos = SECOND / perSecond;
            this.nextArrival = now.get() + gap();
        }

        private long gap() {
            return (long) (-Math.log(1 - random.nextDouble()) * meanGapNanos);
        }

        void until(long endNanos) {
            while (true) {
                Long free = finishing.peek();
                long next = free != null && free <= nextArrival ? free : nextArrival;
                if (next > endNanos) {
                    now.set(endNanos);
                    return;
                }
                now.set(next);
                if (free != null && free == next) {
                    finishing.poll();
                } else {
                    waiting++;
                    nextArrival = next + gap();
                }
                pickUp();
            }
        }

        /** Free workers take waiting requests; one that spills frees its worker for the next at once. */
        private void pickUp() {
            while (waiting > 0 && finishing.size() < workers) {
                waiting--;
                boolean spilled = judge(permit, waiting);
                if (!spilled && waiting >= SPILL_WAITING && now.get() > 10 * SECOND) {
                    refusedAfter10s++;
                }
                if (!spilled) {
                    finishing.add(now.get() + serviceNanos);
                }
            }
        }
    }
}
