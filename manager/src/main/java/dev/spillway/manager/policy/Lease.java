package dev.spillway.manager.policy;

/**
 * A directive's lease as a filter keeps it: granted at {@code grantedAtMillis}, active for {@code leaseMillis}.
 * The manager renews it (sends the same directive again) once half of it has passed (at the latest one interval and
 * a quarter before it ends), and at once when it changes; a renewal that fails is retried the next cycle. A stopped
 * manager's directive ends by itself.
 */
public record Lease(long grantedAtMillis, long leaseMillis) {

    public Lease {
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be > 0");
        }
    }

    public long expiresAtMillis() {
        return grantedAtMillis + leaseMillis;
    }

    public boolean activeAt(long nowMillis) {
        return nowMillis < expiresAtMillis();
    }

    public Lease renewedAt(long nowMillis) {
        return new Lease(nowMillis, leaseMillis);
    }
}
