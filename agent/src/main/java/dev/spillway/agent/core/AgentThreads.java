package dev.spillway.agent.core;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named {@code spillway-agent-<role>-<n>}. In embedded mode the agent can be started from another
 * webapp's thread (a take-over while that webapp undeploys), so a thread gets this class's loader as context loader
 * and is created with no inherited access-control context: neither may pin the departing webapp's class loader.
 */
public final class AgentThreads implements ThreadFactory {
    private final String role;
    private final AtomicInteger count = new AtomicInteger();

    public AgentThreads(String role) {
        this.role = role;
    }

    @Override
    @SuppressWarnings("removal")
    public Thread newThread(Runnable r) {
        return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> {
            Thread t = new Thread(r, "spillway-agent-" + role + "-" + count.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(AgentThreads.class.getClassLoader());
            return t;
        });
    }
}
