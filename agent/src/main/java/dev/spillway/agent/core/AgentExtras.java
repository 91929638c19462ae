package dev.spillway.agent.core;

import dev.spillway.agent.sampling.LoadSource;
import java.util.Map;
import javax.management.ObjectName;

/**
 * What a harness may add to an agent without the agent knowing what it is: a load source put in place of the
 * measured one, and MBeans that live and die with the agent. The scripted agent of the tests and the demo
 * ({@code spillway-scripted-agent}) is one; a production agent runs with {@link #NONE}.
 */
public interface AgentExtras {
    /** Nothing added: the agent reports what it measures. */
    AgentExtras NONE = new AgentExtras() {
        @Override
        public LoadSource load(LoadSource measured) {
            return measured;
        }

        @Override
        public String toString() {
            return "measured load";
        }
    };

    /** The load source the agent samples, given the measured one (called once, at start). */
    LoadSource load(LoadSource measured);

    /** MBeans registered after the Agent MBean and unregistered before it on close, e.g. a stand-in filter. */
    default Map<ObjectName, Object> mbeans() {
        return Map.of();
    }
}
