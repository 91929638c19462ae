package dev.spillway.manager.policy;

import dev.spillway.agent.contract.HostLoad;

/**
 * One host as seen in one cycle: its latest load, or why it could not be read ({@code load == null}).
 * {@code drained} is the operator's drain flag; {@code spare} marks a host held back in the spare pool.
 */
public record Observation(String id, String zone, HostLoad load, String error, boolean drained, boolean spare) {

    public static Observation polled(String id, String zone, HostLoad load, boolean drained) {
        return new Observation(id, zone, load, null, drained, false);
    }

    public static Observation missed(String id, String zone, String error, boolean drained) {
        return new Observation(id, zone, null, error, drained, false);
    }

    public boolean reachable() {
        return load != null;
    }
}
