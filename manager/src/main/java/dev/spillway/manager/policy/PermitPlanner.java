package dev.spillway.manager.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares every eligible target's spare capacity out as budgets (requests/s) to the hosts that may spill to it, so
 * that the budgets pointing at one target never add up to more than its spare.
 *
 * <p>Every source gets budgets in advance, before it is overloaded: a filter spills the moment its pool backs up, and
 * must not wait a cycle for the manager. A target's spare is split among the sources that list it in proportion to
 * {@code excess + unmet + floor}: a source whose own rate is beyond what it may use, or that had requests to spill
 * and no budget for them, gets the most, and every source keeps a
 * floor (5% of its capacity) for a step into overload that the last cycle has not seen. Each source lists at most
 * {@code maxTargets} targets: same zone first, then the most spare per source already listing it, so that many
 * sources spread over many targets. Budgets below {@link #MIN_BUDGET} are left out (not worth a target).
 */
public final class PermitPlanner {
    /** Smaller budgets are not granted: fewer than one request a second is noise. */
    static final double MIN_BUDGET = 1.0;
    /** Every source's claim on a target includes this part of its own capacity. */
    static final double FLOOR_SHARE = 0.05;

    private final int maxTargets;

    public PermitPlanner(int maxTargets) {
        this.maxTargets = maxTargets;
    }

    /**
     * A host that may spill: its id, zone, capacity estimate, and the requests per second that found its pool
     * backed up but no budget left in the last interval (its filter's {@code SpillOverBudget}): demand the last
     * budgets did not cover, which its request rate cannot show (a backed-up pool takes requests in no faster than
     * it serves them plus what it may spill).
     */
    public record Source(String id, String zone, Capacity capacity, double overBudgetRate) {
        public Source(String id, String zone, Capacity capacity) {
            this(id, zone, capacity, 0);
        }
    }

    /** A host that may take spilled requests: its id, zone, and what may be promised (requests/s). */
    public record Target(String id, String zone, double spare) {
    }

    /** One source's permit: targets best first and a budget each. */
    public record Grant(List<String> targets, List<Double> budgets) {
        public static final Grant NONE = new Grant(List.of(), List.of());

        public double total() {
            return budgets.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * @param sources hosts that may spill (reachable, not drained or failed)
     * @param targets eligible hosts with their spare, after what drained and failed hosts send them
     * @param share   the part of its capacity a host may use (its excess is measured beyond it)
     */
    public Map<String, Grant> plan(List<Source> sources, List<Target> targets, double share) {
        Map<String, Double> weight = new HashMap<>();
        for (Source s : sources) {
            Capacity c = s.capacity();
            double floor = Double.isNaN(c.capacity()) ? 1.0 : Math.max(1.0, FLOOR_SHARE * c.capacity());
            double unmet = s.overBudgetRate() > 0 ? s.overBudgetRate() : 0;
            weight.put(s.id(), c.excess(share) + unmet + floor);
        }
        // Neediest first: they pick their targets before the others fill the lists.
        List<Source> ordered = new ArrayList<>(sources);
        ordered.sort(Comparator.comparingDouble((Source s) -> -weight.get(s.id())).thenComparing(Source::id));
        Map<String, Target> byId = new LinkedHashMap<>();
        targets.forEach(t -> byId.put(t.id(), t));
        Map<String, Double> claimed = new HashMap<>();   // sum of claimants' weights per target
        Map<String, List<String>> lists = new LinkedHashMap<>();
        for (Source s : ordered) {
            double w = weight.get(s.id());
            boolean zoned = s.zone() != null && !s.zone().isEmpty();
            Comparator<Target> better = Comparator.comparingInt((Target t) -> zoned && s.zone().equals(t.zone()) ? 0 : 1)
                    .thenComparingDouble(t -> -t.spare() * w / (w + claimed.getOrDefault(t.id(), 0.0)))
                    .thenComparing(Target::id);
            // The best maxTargets by one pass over the targets (a full sort per source would be n^2 log n at 1000s
            // of hosts); chosen stays sorted, best first.
            List<Target> chosen = new ArrayList<>(maxTargets + 1);
            for (Target t : targets) {
                if (t.id().equals(s.id()) || !(t.spare() > 0)) {
                    continue;
                }
                int at = chosen.size();
                while (at > 0 && better.compare(t, chosen.get(at - 1)) < 0) {
                    at--;
                }
                if (at < maxTargets) {
                    chosen.add(at, t);
                    if (chosen.size() > maxTargets) {
                        chosen.remove(maxTargets);
                    }
                }
            }
            List<String> ids = new ArrayList<>(chosen.size());
            for (Target t : chosen) {
                ids.add(t.id());
                claimed.merge(t.id(), w, Double::sum);
            }
            lists.put(s.id(), ids);
        }
        Map<String, Grant> out = new LinkedHashMap<>();
        for (Source s : sources) {
            List<String> ids = new ArrayList<>();
            List<Double> budgets = new ArrayList<>();
            for (String t : lists.get(s.id())) {
                double budget = byId.get(t).spare() * weight.get(s.id()) / claimed.get(t);
                if (budget >= MIN_BUDGET) {
                    ids.add(t);
                    budgets.add(Math.floor(budget * 10) / 10);
                }
            }
            out.put(s.id(), ids.isEmpty() ? Grant.NONE : new Grant(List.copyOf(ids), List.copyOf(budgets)));
        }
        return out;
    }
}
