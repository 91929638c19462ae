package dev.spillway.manager.policy;

/**
 * What target selection knows about one host. {@code sessions}/{@code sessionCapacity} are -1 when unknown
 * (unknown capacity does not exclude a host); {@code recentPicks} is a decayed count of recent selections.
 */
public record Candidate(String id, String zone, HostState state, boolean healthUp, boolean appHealthUp,
                        long sessions, long sessionCapacity, double stress, double recentPicks) {

    /** ok, healthy, application-healthy, under its session capacity, and with a known stress. */
    public boolean eligible() {
        return state == HostState.OK && healthUp && appHealthUp && !Double.isNaN(stress)
                && !(sessionCapacity >= 0 && sessions >= 0 && sessions >= sessionCapacity);
    }
}
