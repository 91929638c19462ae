package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.sampling.QueueFigures;
import org.junit.jupiter.api.Test;

/** When spills over budget alert the manager, and when quick checks follow the count. */
class OverBudgetWatchTest {
    /** A quick look: 4 busy workers, so the queue length (waiting + busy) is never below 4. */
    private static QueueFigures look(double waiting, double overBudgetTotal) {
        return new QueueFigures(waiting + 4, 10, overBudgetTotal, waiting);
    }

    @Test
    void theCountRisingAlertsOnceAndAgainOnlyAfterAQuietSpellAndTheGap() {
        OverBudgetWatch w = new OverBudgetWatch();
        assertFalse(w.checked(look(2, 7), 0), "the first look only sets the starting point");
        assertTrue(w.armed(), "requests wait: the valve may spill, so the count is followed");
        assertTrue(w.checked(look(3, 9), 250), "two requests found no budget");
        assertTrue(w.confirm(8.0), "and more in the window after: the alert goes out");
        assertFalse(w.checked(look(3, 15), 500), "still over budget: the manager has been told");
        assertFalse(w.checked(look(2, 15), 750), "quiet again");
        assertFalse(w.checked(look(2, 16), 1_000), "rising again within a second of the last alert");
        assertFalse(w.checked(look(2, 16), 1_250));
        assertTrue(w.checked(look(2, 18), 1_500), "rising again after a quiet look and the gap");
        assertTrue(w.confirm(4.0));
        assertEquals(2, w.alerts());
    }

    @Test
    void anAlertWhoseWindowSawNoSpillOverBudgetIsNotSent() {
        OverBudgetWatch w = new OverBudgetWatch();
        assertFalse(w.checked(look(2, 7), 0));
        assertTrue(w.checked(look(3, 9), 250), "due: two requests found no budget");
        assertFalse(w.confirm(0.0), "none in the window after it: the budgets caught up, the host has no new need");
        assertFalse(w.confirm(Double.NaN), "no filter reported a rate: nothing to re-plan from");
        assertEquals(0, w.alerts());
        assertFalse(w.checked(look(2, 9), 500), "quiet");
        assertTrue(w.checked(look(3, 12), 1_500), "rising again after the gap: due again");
        assertTrue(w.confirm(12.0));
        assertEquals(1, w.alerts());
    }

    /**
     * Four workers with 200 ms pages take requests in bursts every 200 ms: a 100 ms window after a push can fall
     * between two of them while requests keep finding no budget. The next rise of the count must be due again, or no
     * alert would go out for as long as the overload lasts (an edge needs a quiet look first).
     */
    @Test
    void aWindowThatSawNoSpillLeavesTheWatchQuietSoTheNextRiseIsDueAtOnce() {
        OverBudgetWatch w = new OverBudgetWatch();
        assertTrue(w.pushed(0), "a push: due");
        assertFalse(w.confirm(0.0), "its window fell between two bursts of arrivals");
        assertFalse(w.checked(look(3, 9), 250), "the count's starting point");
        assertTrue(w.checked(look(3, 11), 500), "the count rose again: due again, the unsent attempt not counted");
        assertTrue(w.confirm(20.0));
        assertEquals(1, w.alerts());
        assertFalse(w.checked(look(3, 15), 750), "over budget since: the manager has been told");
        assertFalse(w.pushed(1_000), "and a push while it lasts is no new edge");
    }

    @Test
    void aPoolWithNobodyWaitingDisarmsAndAnUnknownCountNeverAlerts() {
        OverBudgetWatch w = new OverBudgetWatch();
        assertFalse(w.checked(look(0, 5), 0));
        assertFalse(w.armed(), "busy workers but nothing waits, nothing spilled over budget: no quick checks");
        assertFalse(w.checked(new QueueFigures(4, 10, 5, Double.NaN), 100));
        assertTrue(w.armed(), "the container does not say what waits: the queue length (busy + waiting) arms");
        assertFalse(w.checked(look(4, Double.NaN), 250));
        assertFalse(w.checked(look(4, Double.NaN), 500), "no filter reports the count");
        assertEquals(0, w.alerts());
    }

    @Test
    void aSampleWithAnOverBudgetRateAlertsByItself() {
        OverBudgetWatch w = new OverBudgetWatch();
        assertFalse(w.sampled(Double.NaN, 0, 4, 0));
        assertFalse(w.armed());
        assertFalse(w.sampled(0, 3, 7, 1_000));
        assertTrue(w.armed(), "requests wait: the next looks follow the count");
        assertTrue(w.sampled(12.5, 3, 7, 2_000));
        assertTrue(w.armed(), "over budget: the next looks follow it");
        assertFalse(w.sampled(12.5, 3, 7, 3_000), "an edge, not every sample while it lasts");
    }

    @Test
    void aFiltersPushAlertsWithoutALookAndArmsTheQuickChecks() {
        OverBudgetWatch w = new OverBudgetWatch();
        assertFalse(w.armed(), "a quiet pool: nothing follows the count");
        assertTrue(w.pushed(0), "the first push is an edge: due at once, no look needed");
        assertTrue(w.armed(), "and the quick checks follow the count from now on");
        assertTrue(w.confirm(30.0));
        assertFalse(w.pushed(200), "still over budget: the manager has been told");
        assertFalse(w.checked(look(0, 9), 400), "the count's starting point");
        assertFalse(w.checked(look(0, 9), 600), "quiet again");
        assertFalse(w.pushed(900), "a push within a second of the last alert");
        assertFalse(w.checked(look(0, 9), 1_100), "quiet");
        assertTrue(w.pushed(1_200), "a push after a quiet look and the gap: due again");
        assertTrue(w.confirm(12.0));
        assertEquals(2, w.alerts());
    }
}
