package dev.spillway.manager.pool;

/**
 * Where the membership lives when several managers share it (ZooKeeper, see {@code coordination/}): what a new
 * leader must find to keep the allocations of the last one. Without it the membership file is the only store.
 */
public interface SharedMembershipStore {
    /** The membership as last read in the background (never blocks); null when none was read yet. */
    Membership latest();

    /**
     * Reads it now (a bounded wait); null when nothing is stored yet.
     *
     * @throws IllegalStateException when the store cannot be read
     */
    Membership load();

    /**
     * Stores it for the leader of {@code epoch}; refused when a leader of a newer epoch wrote it since (a former
     * leader that woke up late must not overwrite the new one's pool).
     *
     * @throws IllegalStateException when refused or the store cannot be written
     */
    void save(Membership m, long epoch);

    /** Where it is, for the log. */
    String describe();
}
