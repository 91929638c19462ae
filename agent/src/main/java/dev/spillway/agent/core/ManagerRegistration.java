package dev.spillway.agent.core;

import dev.spillway.agent.contract.ManagerMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxClients;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.management.JMX;
import javax.management.remote.JMXConnector;

/**
 * Announces the agent to the manager on start and then every re-announce interval (the manager's answer, or the
 * configured one), so a restarted manager rebuilds its host table. While the manager cannot be reached, retries
 * with back-off from 1 s doubling to the re-announce interval; the agent keeps serving meanwhile.
 */
final class ManagerRegistration {
    private static final Logger LOG = Logger.getLogger(ManagerRegistration.class.getName());
    private static final long FIRST_BACKOFF_MILLIS = 1_000;

    private final AgentSettings settings;
    private final String agentJmxUrl;
    private final ScheduledExecutorService scheduler;
    private volatile String status;
    private volatile long registrations;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;
    private boolean warned;

    ManagerRegistration(AgentSettings settings, String agentJmxUrl, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.agentJmxUrl = agentJmxUrl;
        this.scheduler = scheduler;
        this.status = settings.managerUrl().isEmpty() ? "disabled" : "retrying: not tried yet";
    }

    void start() {
        if (!settings.managerUrl().isEmpty()) {
            scheduler.execute(this::attempt);
        }
    }

    String status() {
        return status;
    }

    long registrations() {
        return registrations;
    }

    private void attempt() {
        long next;
        JMXConnector c = null;
        try {
            c = JmxClients.connect(settings.managerUrl(), settings.managerUser(), settings.managerPassword(),
                    settings.managerTls(), settings.connectTimeout());
            ManagerMXBean manager = JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.manager(),
                    ManagerMXBean.class);
            long asked = manager.register(settings.hostId(), agentJmxUrl, settings.zone(), settings.webBaseUrl());
            next = asked > 0 ? asked : settings.registerInterval().toMillis();
            if (!"registered".equals(status)) {
                LOG.info(() -> "registered with the manager at " + settings.managerUrl());
            }
            status = "registered";
            warned = false;
            registrations++;
            backoffMillis = FIRST_BACKOFF_MILLIS;
        } catch (IOException | RuntimeException e) {
            String reason = rootCause(e);
            if (!warned) {
                warned = true;
                LOG.warning("cannot register with the manager at " + settings.managerUrl() + ": " + reason
                        + "; retrying with back-off");
            }
            status = "retrying: " + reason;
            next = backoffMillis;
            backoffMillis = Math.min(backoffMillis * 2, settings.registerInterval().toMillis());
        } finally {
            JmxClients.closeQuietly(c);
        }
        if (!scheduler.isShutdown()) {
            try {
                scheduler.schedule(this::attempt, next, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the agent is stopping
            }
        }
    }

    // One line for getManagerStatus(): RMI nests three exceptions deep with newlines in between.
    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? "" : t.getMessage().replaceAll("\\s+", " ");
        return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }
}
