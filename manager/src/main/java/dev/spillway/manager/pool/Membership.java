package dev.spillway.manager.pool;

import java.util.List;
import java.util.Set;

/**
 * What the membership file holds: the cluster's members and the hosts in the pool, each sorted by id.
 * A pool host listed as a member is one the manager allocated.
 */
public record Membership(List<String> members, List<String> spares) {
    public Membership {
        members = members.stream().sorted().distinct().toList();
        spares = spares.stream().sorted().distinct().toList();
        if (!java.util.Collections.disjoint(members, spares)) {
            throw new IllegalArgumentException("a host is either a member or a spare: " + members + " / " + spares);
        }
    }

    public static final Membership EMPTY = new Membership(List.of(), List.of());

    public boolean isMember(String id) {
        return members.contains(id);
    }

    public Set<String> memberSet() {
        return Set.copyOf(members);
    }
}
