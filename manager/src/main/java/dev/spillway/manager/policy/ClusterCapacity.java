package dev.spillway.manager.policy;

import dev.spillway.agent.contract.HostLoad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Every host's {@link Capacity} for one cycle, and how full targets may be filled. A host's capacity comes from its
 * own smoothed service time, or the median of the others' for a host that has served nothing yet; the requests
 * the others moved to it are not its own load ({@link MovedIn}: its own count where it reports one, else the
 * sources' reports by peer id = host id). A busy cluster fills its targets up to its
 * own mean utilisation (what balancing it evenly would give every host; a host's backlog it cannot clear by itself counts as
 * load, drained over {@link PermitPlanner#DRAIN_SECONDS}), never below {@code offload.share} and
 * never beyond {@link #MAX_FILL}: with the cluster at 84%, a target kept at 80% could not take a hot host's excess.
 *
 * @param capacities per host id
 * @param fill       the part of their capacity targets are filled to (offload.share or more)
 */
public record ClusterCapacity(Map<String, Capacity> capacities, double fill) {
    /** Targets are never filled beyond this part of their capacity, however busy the cluster is. */
    static final double MAX_FILL = 0.95;

    /** {@link #estimate(List, ToDoubleFunction, double, double)} for moves that cost their source nothing. */
    static ClusterCapacity estimate(List<Observation> observations, ToDoubleFunction<String> serviceTimeMillis,
                                    double share) {
        return estimate(observations, serviceTimeMillis, share, 0);
    }

    /**
     * @param serviceTimeMillis a host's smoothed service time by id, NaN when it has served nothing yet
     * @param share             {@code offload.share}
     * @param moveCost          what a moved request costs a CPU-bound source ({@link MoveCost} of the mode)
     */
    static ClusterCapacity estimate(List<Observation> observations, ToDoubleFunction<String> serviceTimeMillis,
                                    double share, double moveCost) {
        Map<String, Capacity> atShare = capacities(observations, serviceTimeMillis, share, moveCost);
        double fill = Math.min(MAX_FILL, Math.max(share, utilisation(observations, atShare)));
        return new ClusterCapacity(
                fill > share ? capacities(observations, serviceTimeMillis, fill, moveCost) : atShare, fill);
    }

    public Capacity of(String id) {
        return capacities.get(id);
    }

    private static Map<String, Capacity> capacities(List<Observation> observations,
                                                   ToDoubleFunction<String> serviceTimeMillis, double fill,
                                                   double moveCost) {
        Map<String, HostLoad> loads = new HashMap<>();
        List<Double> known = new ArrayList<>();
        for (Observation o : observations) {
            double st = serviceTimeMillis.applyAsDouble(o.id());
            if (!Double.isNaN(st)) {
                known.add(st);
            }
            loads.put(o.id(), o.load());
        }
        Map<String, Double> inflow = MovedIn.perHost(loads);
        double median = median(known);
        Map<String, Capacity> out = new HashMap<>();
        for (Observation o : observations) {
            double st = serviceTimeMillis.applyAsDouble(o.id());
            out.put(o.id(), Capacity.estimate(o.load(), Double.isNaN(st) ? median : st,
                    inflow.getOrDefault(o.id(), 0.0), fill, moveCost));
        }
        return out;
    }

    /** Own load (and backlog to drain) over capacity, summed over the reachable, undrained hosts whose capacity is known; 0 if none. */
    private static double utilisation(List<Observation> observations, Map<String, Capacity> capacities) {
        double load = 0;
        double capacity = 0;
        for (Observation o : observations) {
            Capacity c = capacities.get(o.id());
            if (o.reachable() && !o.drained() && !o.spare() && c.capacity() > 0 && !Double.isNaN(c.ownRate())) {
                // a backlog is load to serve too, over the seconds the planner gives it (PermitPlanner.DRAIN_SECONDS)
                load += c.ownRate() + PermitPlanner.drainRate(c, Capacity.backlog(o.load()));
                capacity += c.capacity();
            }
        }
        return capacity > 0 ? load / capacity : 0;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
