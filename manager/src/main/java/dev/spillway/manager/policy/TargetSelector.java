package dev.spillway.manager.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders the hosts a request (or an overloaded host's share of them) should go to, best first. Only
 * {@link Candidate#eligible() eligible} hosts are listed. Order: same zone as the source first (when the source
 * has a zone), then by {@code stress + spread * recentPicks} ascending, then by id so the order is stable. The
 * spread term keeps several sources from piling onto the one host that happens to be lowest this second.
 */
public final class TargetSelector {
    private final double spread;

    public TargetSelector(double spread) {
        if (!(spread >= 0)) {
            throw new IllegalArgumentException("spread must be >= 0");
        }
        this.spread = spread;
    }

    /**
     * @param sourceId the host moving requests away (left out of the list), or null for a new request
     * @param zone     the zone to prefer, or "" / null for none
     */
    public List<Candidate> order(String sourceId, String zone, List<Candidate> hosts) {
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : hosts) {
            if (c.eligible() && !c.id().equals(sourceId)) {
                out.add(c);
            }
        }
        boolean zoned = zone != null && !zone.isEmpty();
        Comparator<Candidate> byZone = Comparator.comparingInt(c -> zoned && zone.equals(c.zone()) ? 0 : 1);
        out.sort(byZone.thenComparingDouble(this::score).thenComparing(Candidate::id));
        return out;
    }

    public double score(Candidate c) {
        return c.stress() + spread * c.recentPicks();
    }
}
