package dev.spillway.filter.directive;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.filter.peers.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Holds the filter's current directive. Writers (JMX operations from the agent or an operator) validate and replace
 * it; the request path reads it with one volatile load and treats an ended lease as LOCAL by itself, so a manager
 * that stops renewing leaves no host offloading past the lease. Thread-safe.
 */
public final class DirectiveSlot {
    private final List<Peer> peers;
    private final LongSupplier nanoClock;
    private volatile ActiveDirective current;

    /**
     * @param peers the configured peers: the only hosts a directive may name
     * @param nanoClock {@link System#nanoTime()} in production; tests pass a fake
     */
    public DirectiveSlot(List<Peer> peers, LongSupplier nanoClock) {
        this.peers = List.copyOf(peers);
        this.nanoClock = nanoClock;
    }

    /**
     * The live directive or permit, or null when the filter should serve everything here (no directive, LOCAL,
     * fraction 0 without budgets, or lease ended).
     */
    public ActiveDirective offloading(long nowNanos) {
        ActiveDirective d = current;
        return d != null && d.isLive(nowNanos) ? d : null;
    }

    /** The directive as last applied, whether or not its lease still holds; null if none or cleared. */
    public ActiveDirective lastApplied() {
        return current;
    }

    /**
     * Replaces the directive. Every target must be a configured peer, named by id or base URL; otherwise nothing
     * changes and the exception names the unknown target and the known peers.
     *
     * @throws IllegalArgumentException for an unknown target or an invalid directive
     */
    public void apply(Directive directive) {
        if (directive.mode() == OffloadMode.LOCAL || (directive.fraction() == 0.0 && !directive.isPermit())) {
            current = null;
            return;
        }
        List<Peer> resolved = new ArrayList<>();
        for (String name : directive.targets()) {
            Peer p = find(name);
            if (p == null) {
                throw new IllegalArgumentException("target '" + name + "' is not a configured peer; expected one of "
                        + peers + " (by id or base URL)");
            }
            if (!resolved.contains(p)) {
                resolved.add(p);
            }
        }
        List<Double> budgets = null;
        if (directive.isPermit()) {
            // the same peer named twice (id and URL) gets the sum of its budgets
            budgets = new ArrayList<>();
            for (int i = 0; i < resolved.size(); i++) {
                budgets.add(0.0);
            }
            for (int i = 0; i < directive.targets().size(); i++) {
                int at = resolved.indexOf(find(directive.targets().get(i)));
                budgets.set(at, budgets.get(at) + directive.budgets().get(i));
            }
        }
        current = new ActiveDirective(directive.mode(), resolved, directive.fraction(), budgets,
                directive.leaseMillis(), nanoClock.getAsLong());
    }

    /** Back to LOCAL at once. */
    public void clear() {
        current = null;
    }

    private Peer find(String name) {
        for (Peer p : peers) {
            if (p.isNamed(name)) {
                return p;
            }
        }
        return null;
    }
}
