package dev.spillway.manager.coordination;

/**
 * Who leads, as the API ({@code GET /api/leader}), the dashboard and {@code /metrics} show it.
 *
 * @param mode     {@code sole} (no ZooKeeper), {@code leader}, {@code follower}, or {@code no-leader} (ZooKeeper
 *                 unreachable or no leader elected yet: nobody sends, leases end, filters serve locally)
 * @param cluster  the cluster id (empty when sole)
 * @param self     this manager's participant id (its dashboard URL); empty when sole
 * @param leader   the leader's participant id, as last read from ZooKeeper; empty when unknown
 * @param epoch    the term this manager leads in; 0 when it does not lead (or leads alone, unfenced)
 */
public record LeadershipStatus(String mode, String cluster, String self, String leader, long epoch) {

    public static final LeadershipStatus SOLE = new LeadershipStatus("sole", "", "", "", 0);

    /** True when this manager may change hosts (drain, enable): it runs alone or is the elected leader. */
    public boolean mayWrite() {
        return mode.equals("sole") || mode.equals("leader");
    }
}
