package dev.spillway.manager.policy;

/**
 * What target selection knows about one host. {@code sessions}/{@code sessionCapacity} are -1 when unknown
 * (unknown capacity does not exclude a host); {@code recentPicks} is a decayed count of recent selections;
 * {@code sessionThreshold} is the fraction of the session capacity at which the host is full
 * ({@code sessions.threshold}).
 */
public record Candidate(String id, String zone, HostState state, boolean healthUp, boolean appHealthUp,
                        long sessions, long sessionCapacity, double stress, double recentPicks,
                        double sessionThreshold) {

    /** A candidate full only at its whole session capacity (threshold 1.0). */
    public Candidate(String id, String zone, HostState state, boolean healthUp, boolean appHealthUp, long sessions,
                     long sessionCapacity, double stress, double recentPicks) {
        this(id, zone, state, healthUp, appHealthUp, sessions, sessionCapacity, stress, recentPicks, 1.0);
    }

    /**
     * May be named in a permit: ok or overloaded (the overload marks judge figures such as a machine-wide CPU that
     * servers sharing a machine all read; whether a host can take more is its capacity's call, not a threshold's),
     * healthy, application-healthy and under its session threshold. Never drained, failed, unknown or a spare.
     */
    public boolean mayTakeSpill() {
        return (state == HostState.OK || state == HostState.OVERLOADED) && healthUp && appHealthUp && !sessionsFull();
    }

    /** ok, healthy, application-healthy, under its session threshold, and with a known stress. */
    public boolean eligible() {
        return state == HostState.OK && healthUp && appHealthUp && !Double.isNaN(stress) && !sessionsFull();
    }

    /**
     * At or above {@code sessionThreshold × sessionCapacity}; never when either figure is unknown. Compared as
     * {@code sessions / capacity >= threshold}: 56/100 is exactly the double 0.56, while 0.56 × 100 is just above 56.
     */
    public boolean sessionsFull() {
        if (sessionCapacity < 0 || sessions < 0) {
            return false;
        }
        return sessionCapacity == 0 || (double) sessions / sessionCapacity >= sessionThreshold;
    }

    /** Used share of the session capacity (sessions / capacity), or NaN when either is unknown. */
    public double sessionShare() {
        return sessionCapacity > 0 && sessions >= 0 ? (double) sessions / sessionCapacity : Double.NaN;
    }
}
