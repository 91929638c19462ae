package dev.spillway.manager.web;

import dev.spillway.manager.coordination.LeadershipStatus;
import java.util.List;
import java.util.Map;

/**
 * What the web layer (API, dashboard, metrics) reads from the manager and the one thing it may ask of it. The
 * manager implements it; the web layer knows nothing else about the manager, so the dependency points one way.
 */
public interface ManagerConsole {

    /** Every host as of the last completed cycle, in table order. */
    List<? extends HostSnapshot> hosts();

    /** The last decisions in words, oldest first. */
    List<Decision> decisions();

    /** Per host id, its last {@code samples} (at most) history samples, oldest first. */
    Map<String, HostHistory> history(int samples);

    /** Hosts that may take a redirect now, best first for a client in {@code zone} ("" for none). */
    /** Hosts best first for a new client in {@code zone} ("" for none) at {@code client} (null when unknown). */
    List<RouteChoice> route(String zone, java.net.InetAddress client);

    /** How many cycles have run, and how long the last one took. */
    CycleCounters cycles();

    /** Who leads: this manager alone, it as the elected leader, or another one (then this one is read-only). */
    default LeadershipStatus leadership() {
        return LeadershipStatus.SOLE;
    }

    /** The spare pool's counts as of the last cycle. */
    default PoolFigures pool() {
        return PoolFigures.NONE;
    }

    /** The spare pool's kept events numbered above {@code seq}, oldest first (none without a pool). */
    default List<PoolChange> poolChangesAfter(long seq) {
        return List.of();
    }

    /** True while the manager runs dry ({@code offload.enabled=false}): it decides and shows, and sends nothing. */
    default boolean dryRun() {
        return false;
    }

    /** In a dry run, per host id the permit or directive the last cycle would have sent; empty otherwise. */
    default Map<String, dev.spillway.agent.contract.Directive> wouldSend() {
        return Map.of();
    }

    /** Drains ({@code true}) or enables a host; false if no host has that id. */
    boolean setDrained(String id, boolean drained);
}
