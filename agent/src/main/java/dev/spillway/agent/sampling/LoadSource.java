package dev.spillway.agent.sampling;

import dev.spillway.agent.contract.HostLoad;

/** Produces the host's load snapshot; called from the agent's sampling thread only. */
public interface LoadSource {
    HostLoad sample();

    /**
     * The queue figures alone, read more often than {@link #sample()} and more cheaply (no platform figures, no
     * health probe, no container MBeans): enough to decide whether to alert the manager at once.
     */
    QueueFigures queueFigures();
}
