package dev.spillway.filter.directive;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.EpochFence;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.filter.peers.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Holds the filter's current directive. Writers (JMX operations from the agent or an operator) validate and replace
 * it; the request path reads it with one volatile load and treats an ended lease as LOCAL by itself, so a manager
 * that stops renewing leaves no host offloading past the lease. Writers are fenced by the directive's leader epoch
 * ({@link EpochFence}): once a leader of term N has been heard, anything older is ignored and counted, so a former
 * leader cannot overwrite the current one. Thread-safe.
 */
public final class DirectiveSlot {
    private final List<Peer> peers;
    private final LongSupplier nanoClock;
    private final EpochFence fence = new EpochFence();
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
     * @return true if applied, false if ignored because its epoch is older than one already heard
     * @throws IllegalArgumentException for an unknown target or an invalid directive
     */
    public boolean apply(Directive directive) {
        return fence.admit(directive.epoch(), () -> replace(directive));
    }

    private void replace(Directive directive) {
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
                directive.leaseMillis(), nanoClock.getAsLong(), current);
    }

    /** Back to LOCAL at once, unless a leader newer than {@code epoch} has been heard; true if cleared. */
    public boolean clear(long epoch) {
        return fence.admit(epoch, () -> current = null);
    }

    /** Back to LOCAL at once: an unfenced clear (epoch 0). */
    public void clear() {
        clear(Directive.UNFENCED);
    }

    /** The newest leader epoch accepted (0 before any fenced directive). */
    public long epoch() {
        return fence.highest();
    }

    /** Directives, permits and clears ignored as older than {@link #epoch()}. */
    public long staleIgnored() {
        return fence.refused();
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
