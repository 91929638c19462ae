package dev.spillway.manager.coordination;

import java.util.List;

/** The part of the manager's host table that drain touches, as {@link SharedDrains} needs it. */
public interface DrainTable {
    /** The ids of the hosts in the table now. */
    List<String> ids();

    boolean isDrained(String id);

    /** @return false if no host has that id */
    boolean setDrained(String id, boolean drained);
}
