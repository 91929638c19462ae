package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A host that had requests to spill and no budget for them is not promised to anyone as a target that cycle. */
class ShortTargetTest {
    private static Observation host(String id, double rate, double overBudget) {
        return Observation.polled(id, "", Loads.capacity(id, 20, 100, rate).toBuilder()
                .overBudgetRate(overBudget).build(), false);
    }

    @Test
    void aHostOverItsBudgetOffersNoSpareWhateverItsRateSays() {
        // b's rate is low (its capacity estimate says 76/s spare) but its own requests found no budget left
        List<HostDecision> ds = new Policy(PolicyConfig.defaults(1000)).decide(0, List.of(
                host("a", 252, 0), host("b", 84, 6), host("c", 84, 0)));
        Map<String, Double> into = PermitPolicyTest.inflowPromised(ds);
        assertFalse(into.containsKey("b"), "nobody may spill to b: " + into);
        assertTrue(into.getOrDefault("c", 0.0) > 0, "c still takes a's excess: " + into);
    }

    @Test
    void theSameHostWithNothingOverBudgetIsATarget() {
        List<HostDecision> ds = new Policy(PolicyConfig.defaults(1000)).decide(0, List.of(
                host("a", 252, 0), host("b", 84, 0), host("c", 84, 0)));
        assertTrue(PermitPolicyTest.inflowPromised(ds).getOrDefault("b", 0.0) > 0,
                "b's spare is promised: " + PermitPolicyTest.inflowPromised(ds));
    }
}
