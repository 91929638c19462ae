package dev.spillway.agent.sampling;

import javax.management.MBeanServerConnection;

/** The agent's own JVM: its MBeanServer is always there. */
public final class LocalJvm implements JvmConnection {
    private final MBeanServerConnection mbs;

    public LocalJvm(MBeanServerConnection mbs) {
        this.mbs = mbs;
    }

    @Override
    public MBeanServerConnection connection() {
        return mbs;
    }

    @Override
    public void broken() {
        // a local MBeanServer does not break
    }

    @Override
    public String describe() {
        return "this JVM";
    }

    @Override
    public void close() {
    }
}
