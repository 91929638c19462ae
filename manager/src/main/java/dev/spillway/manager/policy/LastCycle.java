package dev.spillway.manager.policy;

import java.util.List;
import java.util.Map;

/**
 * What the last cycle decided, as the API and dashboard read it from their own threads: the candidates (with this
 * cycle's picks) and every host's capacity. Published as one immutable value, so a reader never pairs one cycle's
 * candidates with another cycle's capacities.
 */
record LastCycle(List<Candidate> candidates, ClusterCapacity capacity) {
    /** Before the first cycle. */
    static final LastCycle NONE = new LastCycle(List.of(), new ClusterCapacity(Map.of(), 0));

    LastCycle {
        candidates = List.copyOf(candidates);
        capacity = new ClusterCapacity(Map.copyOf(capacity.capacities()), capacity.fill());
    }

    /** Hosts best first for a new request from {@code zone}. */
    List<Candidate> route(TargetSelector selector, String zone) {
        return selector.order(null, zone, candidates);
    }
}
