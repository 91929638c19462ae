package dev.spillway.agent.core;

import dev.spillway.agent.contract.ManagerMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxClients;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>With several managers ({@code manager.url} a comma-separated list: they elect a leader on ZooKeeper) each one
 * is announced to on its own rhythm and back-off, so a follower that takes over already knows this host.
 */
final class ManagerRegistration {
    private static final Logger LOG = Logger.getLogger(ManagerRegistration.class.getName());
    private static final long FIRST_BACKOFF_MILLIS = 1_000;

    private final AgentSettings settings;
    private final String agentJmxUrl;
    private final ScheduledExecutorService scheduler;
    private final SurgeWatch surge;
    private final Runnable marksArrived;
    private final List<Target> targets = new ArrayList<>();
    private volatile long alertsSent;
    private volatile long registrations;

    /** One manager's registration state; touched on the control thread only, except the volatile status. */
    private static final class Target {
        final String url;
        volatile String status = "retrying: not tried yet";
        long backoffMillis = FIRST_BACKOFF_MILLIS;
        /** The failure last logged; a retry failing the same way stays quiet, a new reason is logged again. */
        String warnedReason;

        Target(String url) {
            this.url = url;
        }
    }

    ManagerRegistration(AgentSettings settings, String agentJmxUrl, ScheduledExecutorService scheduler,
                        SurgeWatch surge, Runnable marksArrived) {
        this.settings = settings;
        this.agentJmxUrl = agentJmxUrl;
        this.scheduler = scheduler;
        this.surge = surge;
        this.marksArrived = marksArrived;
        for (String url : ManagerUrls.parse(settings.managerUrl())) {
            targets.add(new Target(url));
        }
    }

    void start() {
        for (Target t : targets) {
            scheduler.execute(() -> attempt(t));
        }
    }

    /**
     * "disabled", "registered", or "retrying: <reason>"; with several managers "registered" only when every one
     * answered, else how many did and why the others did not.
     */
    String status() {
        if (targets.isEmpty()) {
            return "disabled";
        }
        if (targets.size() == 1) {
            return targets.get(0).status;
        }
        List<String> failing = new ArrayList<>();
        for (Target t : targets) {
            if (!"registered".equals(t.status)) {
                failing.add(t.url + " " + t.status);
            }
        }
        if (failing.isEmpty()) {
            return "registered";
        }
        int ok = targets.size() - failing.size();
        return (ok == 0 ? "" : "registered with " + ok + " of " + targets.size() + "; ") + String.join("; ", failing);
    }

    long registrations() {
        return registrations;
    }

    /** Alerts the manager delivered (the manager accepted the call). */
    long alertsSent() {
        return alertsSent;
    }

    /** Tells the manager(s), soon and on the control thread, that a figure reached its surge mark. */
    void alert() {
        for (Target t : targets) {
            try {
                scheduler.execute(() -> sendAlert(t));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // the agent is stopping
            }
        }
    }

    // Every manager hears it: only the leader acts on it, and which one leads is ZooKeeper's business, not ours.
    private void sendAlert(Target t) {
        JMXConnector c = null;
        long started = System.nanoTime();
        try {
            c = JmxClients.connect(t.url, settings.managerUser(), settings.managerPassword(),
                    settings.managerTls(), settings.connectTimeout());
            managerProxy(c).alert(settings.hostId());
            alertsSent++;
            LOG.fine(() -> "alert delivered to " + t.url + " in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms (connect included)");
        } catch (IOException | RuntimeException e) {
            // The regular poll still comes: an alert only makes it earlier, so a failure is no warning.
            LOG.info(() -> "surge alert to the manager at " + t.url + " failed: " + rootCause(e));
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

    private void attempt(Target t) {
        long next;
        JMXConnector c = null;
        try {
            c = JmxClients.connect(t.url, settings.managerUser(), settings.managerPassword(),
                    settings.managerTls(), settings.connectTimeout());
            ManagerMXBean manager = managerProxy(c);
            // a spare says so every time: the manager keeps it in the pool until it allocates it (host.spare)
            long asked = settings.spare()
                    ? manager.registerSpare(settings.hostId(), agentJmxUrl, settings.zone(), settings.webBaseUrl())
                    : manager.register(settings.hostId(), agentJmxUrl, settings.zone(), settings.webBaseUrl());
            fetchSurgeMarks(manager);
            next = asked > 0 ? asked : settings.registerInterval().toMillis();
            if (!"registered".equals(t.status)) {
                LOG.info(() -> "registered with the manager at " + t.url);
            }
            t.status = "registered";
            t.warnedReason = null;
            registrations++;
            t.backoffMillis = FIRST_BACKOFF_MILLIS;
        } catch (IOException | RuntimeException e) {
            String reason = rootCause(e);
            if (!reason.equals(t.warnedReason)) {
                t.warnedReason = reason;
                LOG.warning("cannot register with the manager at " + t.url + ": " + reason
                        + "; retrying with back-off (logged again when the reason changes)");
            } else {
                LOG.fine(() -> "registration with " + t.url + " failed again: " + reason);
            }
            t.status = "retrying: " + reason;
            next = t.backoffMillis;
            t.backoffMillis = Math.min(t.backoffMillis * 2, settings.registerInterval().toMillis());
        } finally {
            JmxClients.closeQuietly(c);
        }
        if (!scheduler.isShutdown()) {
            try {
                scheduler.schedule(() -> attempt(t), next, TimeUnit.MILLISECONDS);
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
