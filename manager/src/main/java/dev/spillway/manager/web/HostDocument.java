package dev.spillway.manager.web;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.manager.policy.Capacity;
import dev.spillway.manager.policy.Metric;
import java.util.List;

/**
 * One host of {@code GET /api/hosts}. The names and nesting up to {@code offload} are a contract
 * (shared/DESIGN.md); the rest are read by the dashboard and by users' scripts, so they stay as they are too.
 * Unknown figures are NaN here and null in the JSON.
 */
record HostDocument(String id, String state, double queueLength, double queueDelayMs, double cpu, double memory,
                    double stress, Offload offload, CapacityFigures capacity, String zone, String webBaseUrl,
                    String jmxUrl, String source, boolean drained, String reason, String lastError,
                    long lastSeenMillis, String resourceScope, boolean healthUp, boolean appHealthUp, long sessions,
                    long sessionCapacity, String reportedMode, double pollMs) {

    /** The permit or directive in force, and what the host reports it moved. */
    record Offload(String mode, double fraction, List<String> targets, List<Double> budgets, double movedPerSecond) {
    }

    /** The policy's capacity estimate beside the pool figures it came from. */
    record CapacityFigures(double perSecond, double ownPerSecond, double sparePerSecond, double serviceTimeMs,
                           long maxWorkers, long busyWorkers, double waiting) {
    }

    static HostDocument of(HostSnapshot h) {
        HostLoad l = h.load();
        boolean read = l != null;
        Directive d = h.directive();
        Capacity c = h.capacity();
        return new HostDocument(h.id(), h.state().wireName(),
                read ? l.getQueueLength() : Double.NaN,
                read ? l.getQueueDelayMillis() : Double.NaN,
                read ? Metric.cpu(l) : Double.NaN,
                read ? Metric.memory(l) : Double.NaN,
                h.stress(),
                new Offload(d.mode().name(), d.fraction(), d.targets(), d.budgets(),
                        read ? l.getMovedRate() : Double.NaN),
                new CapacityFigures(c.capacity(), c.ownRate(), c.spare(), c.serviceTimeMillis(), c.maxWorkers(),
                        read ? l.getBusyWorkers() : -1, read ? l.getWaitingRequests() : Double.NaN),
                h.zone(), h.webBaseUrl(), h.entry().jmxUrl(), h.entry().configured() ? "configured" : "registered",
                h.drained(), h.reason(), h.lastError(), h.lastSeenMillis(),
                read ? l.getResourceScope() : null,
                read && l.isHealthUp(), read && l.isAppHealthUp(),
                read ? l.getActiveSessions() : -1, read ? l.getSessionCapacity() : -1,
                read ? l.getDirectiveMode() : null, h.pollMillis());
    }
}
