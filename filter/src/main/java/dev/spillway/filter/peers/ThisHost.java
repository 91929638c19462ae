package dev.spillway.filter.peers;

/**
 * Who this host is to its peers: the peer id under which the other hosts' filters list it in their {@code peers}
 * setting. A hop marker names the peer it was issued for, and a host honours only markers issued for itself, so a
 * marker taken from one 307 cannot pin requests on another host. Immutable.
 */
public final class ThisHost {
    /**
     * Identity not configured ({@code self} and {@code agent.host.id} both unset): a marker issued for any peer is
     * honoured. Treating such markers as foreign instead would bounce every moved request straight back.
     */
    public static final ThisHost UNKNOWN = new ThisHost(null);

    private final String id;

    private ThisHost(String id) {
        this.id = id;
    }

    /** @param id this host's peer id, as the other hosts' {@code peers} lists name it */
    public static ThisHost named(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("this host's peer id must not be empty");
        }
        return new ThisHost(id);
    }

    /** True if a marker issued for peer {@code targetId} may be honoured here. */
    public boolean is(String targetId) {
        return id == null || id.equals(targetId);
    }

    /** The configured id, or null when unknown. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id == null ? "(unknown)" : id;
    }
}
