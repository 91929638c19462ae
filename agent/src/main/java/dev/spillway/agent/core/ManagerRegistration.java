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
 * with back-off from 1 s doubling to the re-announce interval; the agent keeps serving meanwhile. Each registration
 * also fetches the manager's surge marks for the {@link SurgeWatch}, and {@link #alert()} tells the manager a mark
 * was reached; both on the agent's control thread, never on the sampling thread (a connect can take seconds).
 */
final class ManagerRegistration {
    private static final Logger LOG = Logger.getLogger(ManagerRegistration.class.getName());
    private static final long FIRST_BACKOFF_MILLIS = 1_000;

    private final AgentSettings settings;
    private final String agentJmxUrl;
    private final ScheduledExecutorService scheduler;
    private final SurgeWatch surge;
    private final Runnable marksArrived;
    private volatile String status;
    private volatile long alertsSent;
    private volatile long registrations;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;
    /** The failure last logged; a retry failing the same way stays quiet, a new reason is logged again. */
    private String warnedReason;

    ManagerRegistration(AgentSettings settings, String agentJmxUrl, ScheduledExecutorService scheduler,
                        SurgeWatch surge, Runnable marksArrived) {
        this.settings = settings;
        this.agentJmxUrl = agentJmxUrl;
        this.scheduler = scheduler;
        this.surge = surge;
        this.marksArrived = marksArrived;
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

    /** Alerts the manager delivered (the manager accepted the call). */
    long alertsSent() {
        return alertsSent;
    }

    /** Tells the manager, soon and on the control thread, that a figure reached its surge mark. */
    void alert() {
        if (settings.managerUrl().isEmpty()) {
            return;
        }
        try {
            scheduler.execute(this::sendAlert);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the agent is stopping
        }
    }

    private void sendAlert() {
        JMXConnector c = null;
        try {
            c = JmxClients.connect(settings.managerUrl(), settings.managerUser(), settings.managerPassword(),
                    settings.managerTls(), settings.connectTimeout());
            managerProxy(c).alert(settings.hostId());
            alertsSent++;
        } catch (IOException | RuntimeException e) {
            // The regular poll still comes: an alert only makes it earlier, so a failure is no warning.
            LOG.info(() -> "surge alert to the manager failed: " + rootCause(e));
        } finally {
            JmxClients.closeQuietly(c);
        }
    }

    private static ManagerMXBean managerProxy(JMXConnector c) throws IOException {
        return JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.manager(), ManagerMXBean.class);
    }

    /** A manager from before surge alerts has no marks to give: the agent then never alerts. */
    private void fetchSurgeMarks(ManagerMXBean manager) {
        try {
            boolean had = surge.enabled();
            surge.marks(new SurgeWatch.Marks(manager.getSurgeQueueLength(), manager.getSurgeQueueDelayMillis()));
            if (!had && surge.enabled()) {
                marksArrived.run();
            }
        } catch (RuntimeException e) {
            surge.marks(SurgeWatch.Marks.OFF);
        }
    }

    private void attempt() {
        long next;
        JMXConnector c = null;
        try {
            c = JmxClients.connect(settings.managerUrl(), settings.managerUser(), settings.managerPassword(),
                    settings.managerTls(), settings.connectTimeout());
            ManagerMXBean manager = managerProxy(c);
            long asked = manager.register(settings.hostId(), agentJmxUrl, settings.zone(), settings.webBaseUrl());
            fetchSurgeMarks(manager);
            next = asked > 0 ? asked : settings.registerInterval().toMillis();
            if (!"registered".equals(status)) {
                LOG.info(() -> "registered with the manager at " + settings.managerUrl());
            }
            status = "registered";
            warnedReason = null;
            registrations++;
            backoffMillis = FIRST_BACKOFF_MILLIS;
        } catch (IOException | RuntimeException e) {
            String reason = rootCause(e);
            if (!reason.equals(warnedReason)) {
                warnedReason = reason;
                LOG.warning("cannot register with the manager at " + settings.managerUrl() + ": " + reason
                        + "; retrying with back-off (logged again when the reason changes)");
            } else {
                LOG.fine(() -> "registration with " + settings.managerUrl() + " failed again: " + reason);
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
