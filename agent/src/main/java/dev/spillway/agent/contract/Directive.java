package dev.spillway.agent.contract;

import java.util.List;

/**
 * What the manager tells a host's filters to do: move {@code fraction} of eligible requests to {@code targets}
 * (ordered, best first) by {@code mode}, for {@code leaseMillis}. A lease that is not renewed ends by itself and the
 * filter goes back to serving locally, so a dead manager cannot leave a host offloading.
 */
public record Directive(OffloadMode mode, List<String> targets, double fraction, long leaseMillis) {

    public static final Directive LOCAL = new Directive(OffloadMode.LOCAL, List.of(), 0.0, Long.MAX_VALUE);

    /**
     * The longest lease an offloading directive may have: 24 h, above any lease the manager grants (at most
     * {@code poll.interval} 10 min x {@code lease.intervals} 100). Without it one call could make a host offload
     * for ever after its manager died. A LOCAL directive has no limit: serving locally is what an ended lease does.
     */
    public static final long MAX_LEASE_MILLIS = 86_400_000L;

    public Directive {
        if (mode == null) {
            throw new IllegalArgumentException("mode is missing; expected one of LOCAL, REDIRECT, PROXY");
        }
        targets = targets == null ? List.of() : List.copyOf(targets);
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("fraction " + fraction + " is out of range; expected 0..1");
        }
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis " + leaseMillis + " must be > 0");
        }
        if (mode != OffloadMode.LOCAL && leaseMillis > MAX_LEASE_MILLIS) {
            throw new IllegalArgumentException("leaseMillis " + leaseMillis + " is too long; expected 1.."
                    + MAX_LEASE_MILLIS + " (24 h) for a " + mode + " directive");
        }
        if (mode != OffloadMode.LOCAL && targets.isEmpty()) {
            throw new IllegalArgumentException("mode " + mode + " needs at least one target");
        }
        for (String t : targets) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("a target is blank; expected a peer id or base URL");
            }
        }
    }

    /** Builds a directive from the primitive arguments of the MXBean operations. */
    public static Directive of(String mode, String[] targets, double fraction, long leaseMillis) {
        return new Directive(OffloadMode.parse(mode), targets == null ? List.of() : List.of(targets), fraction,
                leaseMillis);
    }
}
