package dev.spillway.manager.policy;

/**
 * What target selection knows about one host. {@code sessions}/{@code sessionCapacity} are -1 when unknown
 * (unknown capacity does not exclude a host); {@code recentPicks} is a decayed count of recent selections.
 */
public record Candidate(String id, String zone, HostState state, boolean healthUp, boolean appHealthUp,
                        long sessions, long sessionCapacity, double stress, double recentPicks) {

    /**
     * May be named in a permit: ok or overloaded (the overload marks judge figures such as a machine-wide CPU that
     * servers sharing a machine all read; whether a host can take more is its capacity's call, not a threshold's),
     * healthy, application-healthy and under its session capacity. Never drained, failed, unknown or a spare.
     */
    public boolean mayTakeSpill() {
        return (state == HostState.OK || state == HostState.OVERLOADED) && healthUp && appHealthUp
                && !(sessionCapacity >= 0 && sessions >= 0 && sessions >= sessionCapacity);
    }

    /** ok, healthy, application-healthy, under its session capacity, and with a known stress. */
    public boolean eligible() {
        return state == HostState.OK && healthUp && appHealthUp && !Double.isNaN(stress)
                && !(sessionCapacity >= 0 && sessions >= 0 && sessions >= sessionCapacity);
    }
}
