package dev.spillway.manager.web;

import dev.spillway.agent.contract.Directive;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code /api/stream} client has been sent, so each batch carries exactly what is new to it: every host's
 * load (each cycle), the decisions logged since its last batch, and the permits and directives that changed. A
 * client that fell behind a few cycles gets everything it missed in one batch, never a duplicate (as long as the
 * decision log still holds what it missed).
 *
 * <p>Event names: {@code load} (a host as {@code /api/hosts} writes it), {@code decision} (as {@code /api/decisions}),
 * {@code permit} ({@link PermitEvent}) and {@code pool} (a change of the spare pool, {@link PoolChange}: each once,
 * in order of its {@code seq}).
 */
final class StreamCursor {
    static final int RECENT_DECISIONS = 50;

    /**
     * A host's permit or directive, when it changed; {@code wouldSend} true in a dry run (then it is what the manager
     * would have sent, and nothing was). Mode {@code LOCAL} with no targets: none any more.
     */
    record PermitEvent(String host, boolean wouldSend, String mode, double fraction, List<String> targets,
                       List<Double> budgets, long leaseMillis) {
        static PermitEvent of(String host, boolean wouldSend, Directive d) {
            return new PermitEvent(host, wouldSend, d.mode().name(), d.fraction(), d.targets(), d.budgets(),
                    d.leaseMillis());
        }
    }

    private final StreamFormat format;
    private long decisionTime = Long.MIN_VALUE;
    private int decisionsAtThatTime;
    private final Map<String, Directive> permits = new HashMap<>();
    private long poolSeq;

    StreamCursor(StreamFormat format) {
        this.format = format;
    }

    /** The first batch: every host, every permit in force (or, in a dry run, that would be), recent decisions. */
    byte[] first(ManagerConsole console) {
        List<Decision> all = console.decisions();
        return batch(console, all.subList(Math.max(0, all.size() - RECENT_DECISIONS), all.size()), true);
    }

    /** A later batch: loads, and what changed since the last batch. */
    byte[] next(ManagerConsole console) {
        return batch(console, console.decisions(), false);
    }

    // Order inside a batch: decisions first (why), then permits (what), then loads (the figures after it), then the
    // pool's changes.
    private byte[] batch(ManagerConsole console, List<Decision> candidates, boolean first) {
        long cycle = console.cycles().cycles();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        seenThisPass = 0;
        for (Decision d : candidates) {
            if (isNew(d)) {
                out.writeBytes(format.event("decision", cycle, d));
            }
        }
        boolean dry = console.dryRun();
        Map<String, Directive> would = console.wouldSend();
        List<? extends HostSnapshot> hosts = console.hosts();
        for (HostSnapshot h : hosts) {
            Directive d = dry ? would.getOrDefault(h.id(), Directive.LOCAL) : h.directive();
            Directive before = permits.put(h.id(), d);
            if (before == null ? d.mode() != dev.spillway.agent.contract.OffloadMode.LOCAL : !before.equals(d)) {
                out.writeBytes(format.event("permit", cycle, PermitEvent.of(h.id(), dry, d)));
            }
        }
        permits.keySet().retainAll(hosts.stream().map(HostSnapshot::id).toList());
        for (HostSnapshot h : hosts) {
            out.writeBytes(format.event("load", cycle, HostDocument.of(h)));
        }
        for (PoolChange p : poolChanges(console, first)) {
            out.writeBytes(format.event("pool", cycle, p));
            poolSeq = p.seq();
        }
        return out.toByteArray();
    }

    /** The pool events this client has not had; a new client gets the last few only, like the decisions. */
    private List<PoolChange> poolChanges(ManagerConsole console, boolean first) {
        List<PoolChange> all = console.poolChangesAfter(poolSeq);
        return first ? all.subList(Math.max(0, all.size() - RECENT_DECISIONS), all.size()) : all;
    }

    // Decisions are appended in time order and several may share a millisecond: the cursor is the newest time sent
    // and how many entries of that time were sent; a pass over the log counts that time's entries again.
    private int seenThisPass;

    private boolean isNew(Decision d) {
        long t = d.timeMillis();
        if (t < decisionTime) {
            return false;
        }
        if (t == decisionTime) {
            seenThisPass++;
            if (seenThisPass <= decisionsAtThatTime) {
                return false;
            }
            decisionsAtThatTime++;
            return true;
        }
        decisionTime = t;
        decisionsAtThatTime = 1;
        seenThisPass = 1;
        return true;
    }
}
