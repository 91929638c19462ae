package dev.spillway.manager.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares the targets' spare capacity among all hosts that move requests in one cycle, so offloading never pushes
 * a target past the ceiling and two hot hosts are never both sent in full at the same barely-ok peer.
 *
 * <p>Units are stress: a target's headroom is {@code max(0, ceiling - stress)}; a source with stress {@code s}
 * that moves fraction {@code f} of its eligible requests adds about {@code f * s} to its targets (hosts of the
 * same size; a source with unknown stress counts as 1.0). The filter spreads moved requests over the listed targets,
 * so a source gets the shortest best-first prefix of its ordered candidates whose equal split fits (each target's
 * share {@code <=} its remaining headroom), or, when none fits, the prefix that carries the most; its fraction is
 * cut to what that prefix carries. Sources are served in the order given (drained and failed first, then the most
 * stressed), and each allocation is taken out of the targets' remaining headroom before the next source.
 */
public final class HeadroomAllocator {
    private final double ceiling;
    private final int maxTargets;
    private final Map<String, Double> remaining = new LinkedHashMap<>();

    public HeadroomAllocator(double ceiling, int maxTargets, List<Candidate> hosts) {
        this.ceiling = ceiling;
        this.maxTargets = maxTargets;
        for (Candidate c : hosts) {
            if (c.eligible()) {
                remaining.put(c.id(), Math.max(0.0, ceiling - c.stress()));
            }
        }
    }

    /** The result for one source: the targets named and the fraction they can carry. */
    public record Allocation(List<String> targets, double fraction) {
        public static final Allocation NONE = new Allocation(List.of(), 0.0);
    }

    /**
     * Allocates for a source that wants to move {@code wanted} (0..1) of its requests.
     *
     * @param bounded false for drained/failed hosts: they move everything eligible whatever the headroom (their
     *                requests must go somewhere), but still use it up so later sources see less
     */
    public Allocation allocate(double sourceStress, double wanted, List<Candidate> ordered, boolean bounded) {
        return allocate(sourceStress, wanted, ordered, bounded, List.of());
    }

    /**
     * As {@link #allocate(double, double, List, boolean)}, keeping the source's current targets: those of
     * {@code current} that can still take some of its requests are tried first (in their current order), and the
     * prefix chosen is never shorter than they are. A standing directive thus keeps its targets while they can carry
     * it, and others are added only when they cannot. Without this, two equal peers trade places every cycle (the
     * selector's spread term counts this source's own picks against the peer it just used) and the directive
     * changes every cycle while nothing else does.
     */
    public Allocation allocate(double sourceStress, double wanted, List<Candidate> ordered, boolean bounded,
                               List<String> current) {
        double load = Double.isNaN(sourceStress) || sourceStress <= 0 ? 1.0 : sourceStress;
        List<String> ids = new ArrayList<>();
        for (String id : current) {
            if (ids.size() == maxTargets) {
                break;
            }
            Double r = remaining.get(id);
            if (r != null && (r > 0 || !bounded) && ordered.stream().anyMatch(c -> c.id().equals(id))) {
                ids.add(id);
            }
        }
        int keep = ids.size();
        for (Candidate c : ordered) {
            if (ids.size() == maxTargets) {
                break;
            }
            Double r = remaining.get(c.id());
            if (r != null && (r > 0 || !bounded) && !ids.contains(c.id())) {
                ids.add(c.id());
            }
        }
        if (ids.isEmpty() || wanted <= 0) {
            return Allocation.NONE;
        }
        double demand = wanted * load;
        int bestJ = Math.max(1, keep);
        double bestCarry = -1;
        for (int j = Math.max(1, keep); j <= ids.size(); j++) {
            double min = Double.MAX_VALUE;
            for (int i = 0; i < j; i++) {
                min = Math.min(min, remaining.get(ids.get(i)));
            }
            double carry = j * min;
            if (carry >= demand) {
                bestJ = j;
                bestCarry = carry;
                break;
            }
            if (carry > bestCarry) {
                bestJ = j;
                bestCarry = carry;
            }
        }
        List<String> chosen = List.copyOf(ids.subList(0, bestJ));
        double moved = bounded ? Math.min(demand, bestCarry) : demand;
        double fraction = bounded ? Math.floor(moved / load * 100) / 100 : wanted;
        if (fraction <= 0) {
            return Allocation.NONE;
        }
        double share = (bounded ? fraction * load : moved) / chosen.size();
        for (String id : chosen) {
            remaining.put(id, Math.max(0.0, remaining.get(id) - share));
        }
        return new Allocation(chosen, fraction);
    }

    /** Headroom left on a target (for tests and the dashboard). */
    public double remaining(String id) {
        return remaining.getOrDefault(id, 0.0);
    }

    public double ceiling() {
        return ceiling;
    }
}
