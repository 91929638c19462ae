package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a source already holds shapes its next plan, so that a permit is not re-sent for a second's noise: a budget
 * cut within {@link PermitPlanner#HELD_BUDGET_BAND} keeps the held value where its target has room (its other,
 * grown budgets give the difference back); a measured need is not held.
 */
class HeldPlanTest {
    private static final double SHARE = 0.8;
    /** 200/s, quiet (60/s): no need, so its budgets are floors, together at most 10% of 200. */
    private static final Capacity QUIET = new Capacity(200, 60, 100, 100, 20);

    private static PermitPlanner.Source holding(String id, List<String> held, List<Double> budgets) {
        return new PermitPlanner.Source(id, "", QUIET, 0, held, 0, 0, budgets);
    }

    private static Map<String, PermitPlanner.Grant> plan(List<PermitPlanner.Source> sources,
                                                         PermitPlanner.Target... targets) {
        return new PermitPlanner(3).plan(sources, List.of(targets), SHARE);
    }

    @Test
    void aBudgetCutWithinTheBandKeepsTheHeldValueAndTheGrownOneGivesItBack() {
        PermitPlanner.Target x = new PermitPlanner.Target("x", "", 100);
        PermitPlanner.Target y = new PermitPlanner.Target("y", "", 100);
        assertEquals(List.of(10.0, 10.0), plan(List.of(holding("a", List.of(), List.of())), x, y).get("a").budgets(),
                "with nothing held: the cap of 20 split evenly");

        PermitPlanner.Grant kept = plan(List.of(holding("a", List.of("x", "y"), List.of(12.0, 8.0))), x, y).get("a");
        assertEquals(List.of("x", "y"), kept.targets());
        assertEquals(List.of(12.0, 8.0), kept.budgets(), "10 is 17% below the 12 held: kept, y's rise gives it back");

        PermitPlanner.Grant cut = plan(List.of(holding("a", List.of("x", "y"), List.of(16.0, 4.0))), x, y).get("a");
        assertEquals(List.of(10.0, 10.0), cut.budgets(), "10 is 37% below the 16 held: the cut goes out");
    }

    @Test
    void aHeldBudgetIsNotKeptWhereTheTargetHasNoRoomForIt() {
        // x's 10/s of spare is shared by floor between a and b, 5 each: all of it planned
        PermitPlanner.Target x = new PermitPlanner.Target("x", "", 10);
        Map<String, PermitPlanner.Grant> grants = plan(List.of(holding("a", List.of("x"), List.of(6.0)),
                holding("b", List.of("x"), List.of(5.0))), x);
        assertEquals(List.of(5.0), grants.get("a").budgets(), "6 held, but x has no room beyond the 10 planned");
        assertEquals(10.0, grants.get("a").total() + grants.get("b").total(), 1e-9);
    }

    @Test
    void aMeasuredNeedIsFollowedAsMeasured() {
        Capacity hot = new Capacity(200, 250, 0, 100, 20); // 90/s beyond its share of 160
        PermitPlanner.Target x = new PermitPlanner.Target("x", "", 200);
        PermitPlanner.Source fresh = new PermitPlanner.Source("a", "", hot, 0, List.of(), 0, 0, List.of());
        double planned = plan(List.of(fresh), x).get("a").total();
        PermitPlanner.Source holding = new PermitPlanner.Source("a", "", hot, 0, List.of("x"), 0, 0,
                List.of(planned * 1.2));
        assertEquals(List.of(planned), plan(List.of(holding), x).get("a").budgets(),
                "a need that fell is not held at its old size, room or not");
    }
}
