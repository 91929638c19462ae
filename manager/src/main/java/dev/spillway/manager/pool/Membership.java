package dev.spillway.manager.pool;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the membership file (or, with ZooKeeper, the shared membership) holds, each list sorted by id, no host in
 * two of them: the cluster's plain members, the pool hosts the manager allocated (members too), and the pool hosts
 * waiting as spares. A plain member listed in {@code pool.spares} counts as allocated (files written before
 * {@code allocated} lines existed said {@code member} for both).
 */
public record Membership(List<String> members, List<String> spares, List<String> allocated) {
    public Membership {
        members = members.stream().sorted().distinct().toList();
        spares = spares.stream().sorted().distinct().toList();
        allocated = allocated.stream().sorted().distinct().toList();
        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>(members);
        all.addAll(spares);
        all.addAll(allocated);
        for (String id : all) {
            if (!seen.add(id)) {
                throw new IllegalArgumentException("host " + id + " is in more than one of members " + members
                        + ", spares " + spares + ", allocated " + allocated);
            }
        }
    }

    public Membership(List<String> members, List<String> spares) {
        this(members, spares, List.of());
    }

    public static final Membership EMPTY = new Membership(List.of(), List.of(), List.of());

    /** A member: plain or allocated. */
    public boolean isMember(String id) {
        return members.contains(id) || allocated.contains(id);
    }
}
