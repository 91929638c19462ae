package dev.spillway.agent.sampling;

import dev.spillway.agent.contract.HostLoad;

/** Produces the host's load snapshot; called once per sample interval from the agent's sampling thread. */
public interface LoadSource {
    HostLoad sample();
}
