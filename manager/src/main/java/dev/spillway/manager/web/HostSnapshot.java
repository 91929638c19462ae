package dev.spillway.manager.web;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.manager.poll.HostEntry;
import dev.spillway.manager.policy.Capacity;
import dev.spillway.manager.policy.HostState;

/** One host after a cycle, as the web layer reads it. {@code load} is null if it was never read. */
public interface HostSnapshot {
    String id();

    HostEntry entry();

    HostState state();

    HostLoad load();

    double stress();

    Directive directive();

    String reason();

    String lastError();

    long lastSeenMillis();

    boolean drained();

    Capacity capacity();

    /** How long the agent took to answer the last load read, in ms; NaN when unknown. */
    double pollMillis();

    /** The zone in force: the configured one, else what the agent reports. */
    String zone();

    /** The web base URL in force: the configured one, else what the agent reports. */
    String webBaseUrl();
}
