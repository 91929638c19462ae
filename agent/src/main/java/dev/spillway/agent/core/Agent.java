package dev.spillway.agent.core;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.EpochFence;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.agent.sampling.JvmConnection;
import dev.spillway.agent.sampling.ClientRttSource;
import dev.spillway.agent.sampling.LoadSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * A running agent: its lifecycle. It starts the parts in order — the Agent MBean ({@link AgentBean}), the load
 * source, the {@link SamplingLoop}, the {@link DirectiveRelay}, the JMX connector and the
 * {@link ManagerRegistration} — and {@link #close()} stops every thread it started, frees its port and unregisters
 * its MBeans, the Agent MBean last (embedded agents of other webapps wait for exactly that).
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Agent.class.getName());

    private final AgentSettings settings;
    private final MBeanServer mbs;
    private final List<JvmConnection> jvms;
    private final AgentExtras extras;
    private final ScheduledExecutorService sampler;
    private final ScheduledExecutorService control;
    private final ExecutorService probes;
    private final List<ObjectName> ownMBeans = new ArrayList<>();
    private final SurgeWatch surge = new SurgeWatch();
    private final HostLoad beforeFirstSample;
    private volatile SamplingLoop sampling;
    private volatile FilterPushes pushes;
    private volatile DirectiveRelay relay;
    private final EpochFence fence = new EpochFence();
    private volatile SecureJmxServer server;
    private volatile ManagerRegistration registration;
    private volatile boolean closed;

    private Agent(AgentSettings settings, MBeanServer mbs, List<JvmConnection> jvms, AgentExtras extras) {
        this.settings = settings;
        this.mbs = mbs;
        this.jvms = List.copyOf(jvms);
        this.extras = extras;
        this.sampler = Executors.newSingleThreadScheduledExecutor(new AgentThreads("sampler"));
        this.control = Executors.newSingleThreadScheduledExecutor(new AgentThreads("control"));
        this.probes = Executors.newFixedThreadPool(2, new AgentThreads("health"));
        this.beforeFirstSample = HostLoad.builder(settings.hostId()).zone(settings.zone())
                .webBaseUrl(settings.webBaseUrl()).build();
    }

    /**
     * Starts an agent serving {@code mbs} and watching {@code jvms}.
     *
     * @throws InstanceAlreadyExistsException when {@code mbs} already has an agent (another webapp's, embedded)
     * @throws IOException when the JMX port cannot be bound
     */
    public static Agent start(AgentSettings settings, MBeanServer mbs, List<JvmConnection> jvms)
            throws IOException, InstanceAlreadyExistsException {
        return start(settings, mbs, jvms, AgentExtras.NONE);
    }

    /** As {@link #start(AgentSettings, MBeanServer, List)}, with {@code extras} added (see {@link AgentExtras}). */
    public static Agent start(AgentSettings settings, MBeanServer mbs, List<JvmConnection> jvms, AgentExtras extras)
            throws IOException, InstanceAlreadyExistsException {
        Agent agent = new Agent(settings, mbs, jvms, extras);
        try {
            agent.startParts();
            return agent;
        } catch (IOException | InstanceAlreadyExistsException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void startParts() throws IOException, InstanceAlreadyExistsException {
        // The Agent MBean goes in first: in embedded mode its presence is the lock that makes one agent per JVM.
        registerOwn(new StandardMBean(new AgentBean(this), AgentMXBean.class, true), ObjectNames.agent());
        List<JvmConnection> watched = new ArrayList<>(jvms);
        for (Map.Entry<ObjectName, Object> extra : extras.mbeans().entrySet()) {
            registerOwn(extra.getValue(), extra.getKey());
        }
        LoadSource load = extras.load(ClientRttSource.wrap(LoadSources.measured(settings, watched, probes),
                settings.clientRtt()));
        pushes = new FilterPushes(watched, at -> {
            SamplingLoop s = sampling;
            if (s != null) {
                s.overBudgetPushed(at);
            }
        });
        sampling = new SamplingLoop(settings, sampler, load, surge, () -> registration, System::nanoTime, pushes);
        relay = new DirectiveRelay(settings.hostId(), watched);
        server = SecureJmxServer.start(settings.jmx(), mbs, true); // registry: lookup only, from other processes
        SamplingLoop loop = sampling;
        // new marks arm the quick checks: a first look before the next sample
        registration = new ManagerRegistration(settings, server.serviceUrl().toString(), control, surge,
                loop::marksChanged);
        loop.start();
        registration.start();
        LOG.info(() -> "Spillway agent " + settings.hostId() + " serving " + server.serviceUrl() + ", watching "
                + watched.stream().map(JvmConnection::describe).toList()
                + (extras == AgentExtras.NONE ? "" : ", with " + extras));
    }

    private void registerOwn(Object bean, ObjectName name) throws InstanceAlreadyExistsException {
        try {
            mbs.registerMBean(bean, name);
            ownMBeans.add(name);
        } catch (InstanceAlreadyExistsException e) {
            throw e;
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + name + ": " + e.getMessage(), e);
        }
    }

    public HostLoad latest() {
        SamplingLoop s = sampling;
        return s == null ? beforeFirstSample : s.latest();
    }

    long samples() {
        SamplingLoop s = sampling;
        return s == null ? 0 : s.samples();
    }

    /** Quick surge checks run so far (see {@link AgentMXBean#getSurgeChecks()}). */
    public long surgeChecks() {
        SamplingLoop s = sampling;
        return s == null ? 0 : s.surgeChecks();
    }

    /** Alerts sent because requests found the permit's budgets spent (logged at INFO, "over budget: ..."). */
    public long overBudgetAlerts() {
        SamplingLoop s = sampling;
        return s == null ? 0 : s.overBudgetAlerts();
    }

    String surgeMarks() {
        return surge.marks().toString();
    }

    ManagerRegistration registration() {
        return registration;
    }

    /** The newest leader epoch heard; shared by all directive operations of this agent. */
    EpochFence fence() {
        return fence;
    }

    DirectiveRelay relay() {
        return relay;
    }

    public String serviceUrl() {
        SecureJmxServer s = server;
        return s == null ? "" : s.serviceUrl().toString();
    }

    public AgentSettings settings() {
        return settings;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sampler.shutdownNow();
        control.shutdownNow();
        probes.shutdownNow();
        awaitQuietly(sampler);
        awaitQuietly(control);
        awaitQuietly(probes);
        if (pushes != null) {
            pushes.close(); // after the sampler, which subscribes
        }
        if (server != null) {
            server.close();
        }
        for (JvmConnection jvm : jvms) {
            jvm.close();
        }
        // Agent MBean last: its unregistration tells the other webapps that the port is free again.
        for (int i = ownMBeans.size() - 1; i >= 0; i--) {
            ObjectName n = ownMBeans.get(i);
            if (!n.equals(ObjectNames.agent())) {
                unregisterQuietly(n);
            }
        }
        if (ownMBeans.contains(ObjectNames.agent())) {
            unregisterQuietly(ObjectNames.agent());
        }
        ownMBeans.clear();
    }

    private void unregisterQuietly(ObjectName n) {
        try {
            mbs.unregisterMBean(n);
        } catch (JMException e) {
            LOG.log(Level.FINE, "unregistering " + n, e);
        }
    }

    private static void awaitQuietly(ExecutorService e) {
        try {
            if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("an agent thread did not stop within 10 s");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
