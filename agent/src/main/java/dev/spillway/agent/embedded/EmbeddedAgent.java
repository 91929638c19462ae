package dev.spillway.agent.embedded;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.core.Agent;
import dev.spillway.agent.core.AgentSettings;
import dev.spillway.agent.core.AgentThreads;
import dev.spillway.agent.sampling.LocalJvm;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.Notification;
import javax.management.NotificationListener;

/**
 * The agent inside a container JVM, started by the Spillway filter when configured {@code agent=embedded}: one agent
 * per JVM, shared by every webapp that joins, stopped with the last one.
 *
 * <p>Each webapp has its own class loader and so its own copy of this class: static fields are not shared. The
 * webapps coordinate through the platform MBeanServer instead. Whoever registers {@code dev.spillway:type=Agent}
 * first runs the agent; every other member listens for that MBean's unregistration and then tries to take over
 * (the registration is atomic, so exactly one wins). When the owner's webapp is undeployed it stops its agent,
 * threads and port first and unregisters the MBean last, so the next owner can bind the same port.
 */
public final class EmbeddedAgent {
    private EmbeddedAgent() {
    }

    /**
     * Joins (and, if no webapp runs one yet, starts) this JVM's agent. Call from {@code Filter.init}; close the
     * result in {@code Filter.destroy}.
     *
     * @param agentSettings the agent keys of {@code conf/agent.properties}, without any prefix ({@code jmx.port},
     *                      {@code host.id}, ...); the {@code watch} key is ignored: an embedded agent watches its JVM
     * @param contextPath   the joining webapp's context path, for log messages
     * @throws ConfigException on a bad setting (naming the key), or when the agent's port cannot be bound
     */
    public static AutoCloseable join(ConfigValues agentSettings, String contextPath) {
        AgentSettings settings = AgentSettings.from(agentSettings);
        Member m = new Member(settings, contextPath, ManagementFactory.getPlatformMBeanServer());
        m.join();
        return m;
    }

    /** True when this webapp's membership is the one running the JVM's agent (for tests and logs). */
    public static boolean runsTheAgent(AutoCloseable membership) {
        return membership instanceof Member m && m.owns();
    }

    private static final class Member implements AutoCloseable, NotificationListener {
        private static final Logger LOG = Logger.getLogger(EmbeddedAgent.class.getName());
        private static final AgentThreads TAKE_OVER_THREADS = new AgentThreads("takeover");

        private final AgentSettings settings;
        private final String contextPath;
        private final MBeanServer mbs;
        private static final long RETRY_PAUSE_NANOS = 10_000_000_000L;

        private Agent agent;
        private boolean closed;
        // A failed attempt unregisters the Agent MBean again, which notifies every member, this one included:
        // without these two, standby members would ping-pong attempts while a stranger holds the port.
        private volatile boolean attempting;
        private volatile long noRetryBeforeNanos = System.nanoTime();

        Member(AgentSettings settings, String contextPath, MBeanServer mbs) {
            this.settings = settings;
            this.contextPath = contextPath;
            this.mbs = mbs;
        }

        void join() {
            try {
                // Listen first, then try: an owner leaving between the two steps is then never missed.
                mbs.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, this, null, null);
            } catch (InstanceNotFoundException e) {
                throw new IllegalStateException("the platform MBeanServer has no delegate", e);
            }
            try {
                takeOver();
            } catch (IOException e) {
                close();
                throw new ConfigException("jmx.port", String.valueOf(settings.jmx().port()),
                        "a free port for the embedded agent's JMX connector (" + e.getMessage() + ")");
            }
        }

        synchronized boolean owns() {
            return agent != null;
        }

        private synchronized void takeOver() throws IOException {
            if (closed || agent != null) {
                return;
            }
            attempting = true;
            try {
                agent = Agent.start(settings, mbs, List.of(new LocalJvm(mbs)));
                LOG.info(() -> "webapp " + contextPath + " runs this JVM's Spillway agent at " + agent.serviceUrl());
            } catch (InstanceAlreadyExistsException e) {
                // another webapp runs it; we stand by
            } catch (IOException | RuntimeException e) {
                noRetryBeforeNanos = System.nanoTime() + RETRY_PAUSE_NANOS;
                throw e;
            } finally {
                attempting = false;
            }
        }

        @Override
        public void handleNotification(Notification n, Object handback) {
            if (n instanceof MBeanServerNotification mn
                    && MBeanServerNotification.UNREGISTRATION_NOTIFICATION.equals(mn.getType())
                    && ObjectNames.agent().equals(mn.getMBeanName())
                    && !attempting && System.nanoTime() - noRetryBeforeNanos >= 0) {
                // Not in this thread: the notification arrives while the MBeanServer is still unregistering the
                // name, and registering and unregistering it again from inside (a take-over that fails, e.g. on a
                // taken port) deadlocks in the JDK's interceptor. Also keeps the departing webapp's undeploy short.
                TAKE_OVER_THREADS.newThread(() -> {
                    try {
                        takeOver();
                    } catch (IOException | RuntimeException e) {
                        LOG.log(Level.WARNING, "webapp " + contextPath + " could not take over the Spillway agent",
                                e);
                    }
                }).start();
            }
        }

        @Override
        public void close() {
            Agent stopping;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                stopping = agent;
                agent = null;
            }
            try {
                mbs.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, this);
            } catch (InstanceNotFoundException | ListenerNotFoundException e) {
                // not listening (join failed early)
            }
            if (stopping != null) {
                // Outside our lock: stopping notifies the other members, who take over in this thread.
                stopping.close();
                LOG.info(() -> "webapp " + contextPath + " stopped its Spillway agent");
            }
        }
    }
}
