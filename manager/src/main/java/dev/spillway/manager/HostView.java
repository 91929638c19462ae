package dev.spillway.manager;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.manager.poll.HostEntry;
import dev.spillway.manager.policy.Capacity;
import dev.spillway.manager.policy.HostState;
import dev.spillway.manager.web.HostSnapshot;

/**
 * One host as the outside (API, dashboard, metrics, MXBean) sees it after a cycle. Immutable; {@code load} is the
 * last load read (possibly older than this cycle when the host was missed), null if none was ever read;
 * {@code pollMillis} how long the agent took to answer that read, NaN when unknown.
 */
public record HostView(HostEntry entry, HostState state, HostLoad load, double stress, Directive directive,
                       String reason, String lastError, long lastSeenMillis, boolean drained, Capacity capacity,
                       double pollMillis) implements HostSnapshot {

    public HostView(HostEntry entry, HostState state, HostLoad load, double stress, Directive directive,
                    String reason, String lastError, long lastSeenMillis, boolean drained, Capacity capacity) {
        this(entry, state, load, stress, directive, reason, lastError, lastSeenMillis, drained, capacity, Double.NaN);
    }

    @Override
    public String id() {
        return entry.id();
    }

    /** See {@link HostEntry#zoneOr}. */
    @Override
    public String zone() {
        return entry.zoneOr(load == null ? null : load.getZone());
    }

    /** See {@link HostEntry#webBaseUrlOr}. */
    @Override
    public String webBaseUrl() {
        return entry.webBaseUrlOr(load == null ? null : load.getWebBaseUrl());
    }
}
