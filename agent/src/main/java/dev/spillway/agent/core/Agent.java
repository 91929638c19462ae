package dev.spillway.agent.core;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.agent.sampling.HealthProbe;
import dev.spillway.agent.sampling.HostSampler;
import dev.spillway.agent.sampling.JvmConnection;
import dev.spillway.agent.sampling.JvmReader;
import dev.spillway.agent.sampling.LoadScript;
import dev.spillway.agent.sampling.LoadSource;
import dev.spillway.agent.sampling.PlatformSampler;
import dev.spillway.agent.sampling.QueueFigures;
import dev.spillway.agent.sampling.ScriptedLoad;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * A running agent: samples every interval, serves {@code dev.spillway:type=Agent} on its JMX connector, registers
 * with the manager and relays directives. {@link #close()} stops every thread it started, frees its port and
 * unregisters its MBeans, the Agent MBean last (embedded agents of other webapps wait for exactly that).
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Agent.class.getName());

    private final AgentSettings settings;
    private final MBeanServer mbs;
    private final List<JvmConnection> jvms;
    private final ScheduledExecutorService sampler;
    private final ScheduledExecutorService control;
    private final ExecutorService probes;
    private final List<ObjectName> ownMBeans = new ArrayList<>();
    private final SurgeWatch surge = new SurgeWatch();
    private boolean quickChecksRunning;
    private volatile LoadSource load;
    private volatile DirectiveRelay relay;
    private volatile SecureJmxServer server;
    private volatile ManagerRegistration registration;
    private volatile HostLoad latest;
    private volatile long samples;
    private volatile boolean closed;

    private Agent(AgentSettings settings, MBeanServer mbs, List<JvmConnection> jvms) {
        this.settings = settings;
        this.mbs = mbs;
        this.jvms = List.copyOf(jvms);
        this.sampler = Executors.newSingleThreadScheduledExecutor(new AgentThreads("sampler"));
        this.control = Executors.newSingleThreadScheduledExecutor(new AgentThreads("control"));
        this.probes = Executors.newFixedThreadPool(2, new AgentThreads("health"));
        this.latest = HostLoad.builder(settings.hostId()).zone(settings.zone()).webBaseUrl(settings.webBaseUrl())
                .build();
    }

    /**
     * Starts an agent serving {@code mbs} and watching {@code jvms}.
     *
     * @throws InstanceAlreadyExistsException when {@code mbs} already has an agent (another webapp's, embedded)
     * @throws IOException when the JMX port cannot be bound
     */
    public static Agent start(AgentSettings settings, MBeanServer mbs, List<JvmConnection> jvms)
            throws IOException, InstanceAlreadyExistsException {
        Agent agent = new Agent(settings, mbs, jvms);
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
        registerOwn(new StandardMBean(new AgentBean(), AgentMXBean.class, true), ObjectNames.agent());
        List<JvmConnection> watched = new ArrayList<>(jvms);
        if (settings.scriptFile() != null) {
            // The script is read before anything binds a port, so a bad script fails start cleanly.
            LoadScript script = LoadScript.load(settings.scriptFile(), "script.file");
            registerOwn(new StandardMBean(new ScriptedFilter(System::currentTimeMillis),
                    dev.spillway.agent.contract.FilterMXBean.class, true), ObjectNames.filter("/scripted"));
            load = new ScriptedLoad(sampler(watched), script, System::currentTimeMillis);
        } else {
            load = sampler(watched);
        }
        relay = new DirectiveRelay(settings.hostId(), watched);
        server = SecureJmxServer.start(settings.jmx(), mbs, true); // registry: lookup only, from other processes
        registration = new ManagerRegistration(settings, server.serviceUrl().toString(), control, surge,
                () -> runOnSampler(this::startQuickChecks)); // armed by the marks: a first look before the next sample
        sampler.scheduleAtFixedRate(this::sampleOnce, 0, settings.sampleInterval().toMillis(), TimeUnit.MILLISECONDS);

        registration.start();
        LOG.info(() -> "Spillway agent " + settings.hostId() + " serving " + server.serviceUrl() + ", watching "
                + watched.stream().map(JvmConnection::describe).toList()
                + (settings.scriptFile() != null ? ", scripted by " + settings.scriptFile() : ""));
    }

    private HostSampler sampler(List<JvmConnection> watched) {
        List<JvmReader> readers = watched.stream().map(JvmReader::new).toList();
        HealthProbe health = settings.healthUrl() == null ? null
                : new HealthProbe(settings.healthUrl(), settings.healthTimeout(), settings.baselineWindow(), probes);
        HealthProbe app = settings.appHealthUrl() == null ? null
                : new HealthProbe(settings.appHealthUrl(), settings.appHealthTimeout(), 1, probes);
        return new HostSampler(settings.hostId(), settings.zone(), settings.webBaseUrl(), PlatformSampler.ofThisJvm(),
                readers, health, app, System::currentTimeMillis);
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

    private void sampleOnce() {
        if (takeSample()) {
            watchSurge(new QueueFigures(latest.getQueueLength(), latest.getQueueDelayMillis()), false);
            startQuickChecks();
        }
    }

    private boolean takeSample() {
        try {
            latest = load.sample();
            samples++;
            return true;
        } catch (RuntimeException e) {
            // One bad sample must not end the schedule (a thrown exception would cancel it for good).
            LOG.log(Level.WARNING, "sampling failed", e);
            return false;
        }
    }

    /**
     * Between samples, while the figures keep them armed, a chain of quick looks at the queue figures alone. Only
     * while armed: on this kind of machine even an empty timer wakeup costs ~0.2 ms of CPU, so a periodic task
     * would cost a quiet host as much as its samples do. Same thread as {@link #sampleOnce()}: the sources are not
     * thread-safe, and {@link #quickChecksRunning} needs no lock.
     */
    private void startQuickChecks() {
        long every = settings.surgeCheckInterval().toMillis();
        if (every > 0 && !quickChecksRunning && surge.armed()) {
            quickChecksRunning = true;
            scheduleQuickCheck(every);
        }
    }

    private void checkSurge() {
        try {
            watchSurge(load.queueFigures(), true);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "surge check failed", e);
        }
        if (surge.armed()) {
            scheduleQuickCheck(settings.surgeCheckInterval().toMillis());
        } else {
            quickChecksRunning = false;
        }
    }

    private void runOnSampler(Runnable r) {
        try {
            sampler.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    private void scheduleQuickCheck(long delayMillis) {
        try {
            sampler.schedule(this::checkSurge, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            quickChecksRunning = false; // stopping
        }
    }

    /**
     * When a figure reaches the manager's surge mark, alert the manager, which then polls now instead of up to a
     * poll interval later; after a quick check, take a full sample first (the manager must read what the check saw).
     */
    private void watchSurge(QueueFigures f, boolean quick) {
        if (registration == null || settings.managerUrl().isEmpty() || !surge.enabled()) {
            return;
        }
        if (surge.shouldAlert(f, System.currentTimeMillis())) {
            if (quick) {
                takeSample();
            }
            registration.alert();
            LOG.info(() -> String.format(java.util.Locale.ROOT,
                    "surge: queue length %.0f, queue delay %.0f ms reached the manager's marks (%s); alerting it",
                    f.queueLength(), f.queueDelayMillis(), surge.marks()));
        }
    }

    public HostLoad latest() {
        return latest;
    }

    public String serviceUrl() {
        return server == null ? "" : server.serviceUrl().toString();
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

    /** The MXBean; a separate class so that the agent's lifecycle methods are not exposed over JMX. */
    private final class AgentBean implements AgentMXBean {
        @Override public String getHostId() { return settings.hostId(); }
        @Override public String getZone() { return settings.zone(); }
        @Override public String getWebBaseUrl() { return settings.webBaseUrl(); }
        // Calls can arrive between the MBean's registration and the end of start: answer, don't throw.
        @Override public String getJmxServiceUrl() { return serviceUrl(); }
        @Override public HostLoad getHostLoad() { return latest; }
        @Override public long getSampleIntervalMillis() { return settings.sampleInterval().toMillis(); }
        @Override public long getSamples() { return samples; }
        @Override public int getWatchedFilters() { return latest.getFilters(); }

        @Override public String getSurgeMarks() { return surge.marks().toString(); }
        @Override public long getSurgeAlerts() { return registration == null ? 0 : registration.alertsSent(); }

        @Override
        public String getManagerStatus() {
            return registration == null ? "disabled" : registration.status();
        }

        @Override
        public void applyDirective(String mode, String[] targets, double fraction, long leaseMillis) {
            if (relay == null) {
                throw new IllegalStateException("agent " + settings.hostId() + " is still starting");
            }
            relay.apply(mode, targets, fraction, leaseMillis);
        }

        @Override
        public void applyPermit(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis) {
            if (relay == null) {
                throw new IllegalStateException("agent " + settings.hostId() + " is still starting");
            }
            relay.applyPermit(mode, targets, budgetsPerSecond, leaseMillis);
        }

        @Override
        public void clearDirective() {
            if (relay != null) {
                relay.clear();
            }
        }
    }
}
