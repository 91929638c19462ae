package dev.spillway.manager.it;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.Lease;
import dev.spillway.agent.contract.ManagerMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A stand-in agent for tests: serves {@code dev.spillway:type=Agent} on a real RMI connector, reports the figures
 * in a properties file (re-read on every poll, so a test can change the load; the keys are the real agent's load
 * script names ({@code dev.spillway.scripted.LoadScript}), e.g. {@code systemCpu}, plus {@code zone} and {@code movedTo}), keeps the directive with its {@link Lease} like a filter would, appends every directive call to a file, and
 * registers with a manager periodically when given one.
 *
 * <p>Args: {@code ID PORT FIGURES_FILE DIRECTIVES_FILE [MANAGER_JMX_URL]}. Prints {@code READY <url>} when served.
 */
public final class ScriptedAgentMain {

    public static void main(String[] args) throws Exception {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        String id = args[0];
        int port = Integer.parseInt(args[1]);
        Path figures = Path.of(args[2]);
        Path directives = Path.of(args[3]);
        String manager = args.length > 4 ? args[4] : null;

        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        String url = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
        Agent agent = new Agent(id, url, figures, directives);
        mbs.registerMBean(agent, ObjectNames.agent());
        SecureJmxServer.start(JmxServerSettings.loopback(port), mbs);
        System.out.println("READY " + url);
        System.out.flush();
        if (manager != null) {
            registerForever(agent, manager);
        } else {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void registerForever(Agent agent, String managerUrl) throws InterruptedException {
        JMXConnector c = null;
        while (true) {
            long wait = 300;
            try {
                if (c == null) {
                    c = JMXConnectorFactory.connect(new JMXServiceURL(managerUrl));
                }
                ManagerMXBean m = JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.manager(),
                        ManagerMXBean.class);
                wait = m.register(agent.getHostId(), agent.getJmxServiceUrl(), agent.getZone(), agent.getWebBaseUrl());
            } catch (Exception e) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (IOException ignored) {
                        // broken anyway
                    }
                }
                c = null;
            }
            Thread.sleep(Math.max(50, wait));
        }
    }

    /** The scripted agent MXBean. */
    public static final class Agent implements AgentMXBean {
        private final String id;
        private final String url;
        private final Path figures;
        private final Path directives;
        private String mode = "LOCAL";
        private String[] targets = new String[0];
        private double fraction;
        private Lease lease = Lease.ENDED;
        private long samples;
        // what a test adds to every scripted load (e.g. the real client round-trip sampler)
        private volatile java.util.function.UnaryOperator<HostLoad> decorate = java.util.function.UnaryOperator.identity();

        void decorate(java.util.function.UnaryOperator<HostLoad> d) {
            decorate = d;
        }

        Agent(String id, String url, Path figures, Path directives) {
            this.id = id;
            this.url = url;
            this.figures = figures;
            this.directives = directives;
        }

        private Properties read() {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(figures, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                // a test rewriting the file at this instant: report unknowns this once
            }
            return p;
        }

        private static double d(Properties p, String k) {
            String v = p.getProperty(k);
            return v == null ? Double.NaN : Double.parseDouble(v);
        }

        @Override public String getHostId() { return id; }
        @Override public String getZone() { return read().getProperty("zone", ""); }
        @Override public String getWebBaseUrl() { return "http://127.0.0.1:1/" + id; }
        @Override public String getJmxServiceUrl() { return url; }
        @Override public long getSampleIntervalMillis() { return 1000; }
        @Override public long getSamples() { return samples; }
        @Override public int getWatchedFilters() { return 1; }
        @Override public String getManagerStatus() { return "scripted"; }
        @Override public String getSurgeMarks() { return "off"; }
        @Override public long getSurgeAlerts() { return 0; }

        @Override
        public synchronized HostLoad getHostLoad() {
            samples++;
            Properties p = read();
            answerLate(p);
            long now = System.currentTimeMillis();
            String reported = lease.holdsAt(System.nanoTime()) ? mode : "LOCAL";
            return decorate.apply(HostLoad.builder(id).zone(p.getProperty("zone", "")).timestampMillis(now)
                    .queueLength(d(p, "queueLength")).queueDelayMillis(d(p, "queueDelayMillis"))
                    .systemCpu(d(p, "systemCpu")).systemMemory(d(p, "systemMemory"))
                    .healthUp(Boolean.parseBoolean(p.getProperty("healthUp", "true")))
                    .appHealthUp(Boolean.parseBoolean(p.getProperty("appHealthUp", "true")))
                    .activeSessions(Long.parseLong(p.getProperty("activeSessions", "-1")))
                    .sessionCapacity(Long.parseLong(p.getProperty("sessionCapacity", "-1")))
                    .directiveMode(reported).filters(1)
                    // capacity figures: 20 workers x 100 ms (200 requests/s) unless the figures say otherwise
                    .maxWorkers(Long.parseLong(p.getProperty("maxWorkers", "20")))
                    .serviceTimeMillis(Double.parseDouble(p.getProperty("serviceTimeMillis", "100")))
                    .requestRate(Double.parseDouble(p.getProperty("requestRate", "50")))
                    // pool and moves, for the dashboard's plots: unknown unless the figures say; movedTo=b:30,c:10
                    .busyWorkers(Long.parseLong(p.getProperty("busyWorkers", "-1")))
                    .waitingRequests(d(p, "waitingRequests")).movedRate(d(p, "movedRate"))
                    .movedToPeers(movedTo(p).keySet().toArray(String[]::new))
                    .movedToRates(movedTo(p).values().stream().mapToDouble(Double::doubleValue).toArray())
                    .resourceScope(p.getProperty("resourceScope", "machine")).build());
        }

        /** {@code answerDelayMillis=N}: the agent takes at least N ms to answer a poll (a slow host's agent). */
        private static void answerLate(Properties p) {
            long delay = Long.parseLong(p.getProperty("answerDelayMillis", "0"));
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static java.util.Map<String, Double> movedTo(Properties p) {
            java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
            for (String pair : p.getProperty("movedTo", "").split(",")) {
                if (!pair.isBlank()) {
                    out.put(pair.substring(0, pair.indexOf(':')).trim(),
                            Double.parseDouble(pair.substring(pair.indexOf(':') + 1)));
                }
            }
            return out;
        }

        @Override
        public synchronized void applyDirective(String mode, String[] targets, double fraction, long leaseMillis) {
            long now = System.currentTimeMillis();
            this.mode = mode;
            this.targets = targets.clone();
            this.fraction = fraction;
            this.lease = Lease.grantedAt(System.nanoTime(), leaseMillis);
            append(now + " APPLY " + mode + " " + String.join(",", targets) + " " + fraction + " " + leaseMillis);
        }

        @Override
        public synchronized void applyPermit(String mode, String[] targets, double[] budgets, long leaseMillis) {
            long now = System.currentTimeMillis();
            this.mode = mode;
            this.targets = targets.clone();
            this.fraction = 0;
            this.lease = Lease.grantedAt(System.nanoTime(), leaseMillis);
            append(now + " PERMIT " + mode + " " + String.join(",", targets) + " "
                    + java.util.Arrays.toString(budgets).replace(" ", "") + " " + leaseMillis);
        }

        @Override
        public synchronized void clearDirective() {
            mode = "LOCAL";
            targets = new String[0];
            fraction = 0;
            lease = Lease.ENDED;
            append(System.currentTimeMillis() + " CLEAR");
        }

        // Fenced like the real agent (issue 16); the epoch is appended to the line, so tests can see who sent it.
        private final dev.spillway.agent.contract.EpochFence fence = new dev.spillway.agent.contract.EpochFence();

        @Override
        public synchronized boolean applyDirectiveAtEpoch(String mode, String[] targets, double fraction,
                                                          long leaseMillis, long epoch) {
            return fence.admit(epoch, () -> {
                applyDirective(mode, targets, fraction, leaseMillis);
                append("epoch=" + epoch);
            });
        }

        @Override
        public synchronized boolean applyPermitAtEpoch(String mode, String[] targets, double[] budgets,
                                                       long leaseMillis, long epoch) {
            return fence.admit(epoch, () -> {
                applyPermit(mode, targets, budgets, leaseMillis);
                append("epoch=" + epoch);
            });
        }

        @Override
        public synchronized boolean clearDirectiveAtEpoch(long epoch) {
            return fence.admit(epoch, () -> {
                clearDirective();
                append("epoch=" + epoch);
            });
        }

        @Override public synchronized long getDirectiveEpoch() { return fence.highest(); }
        @Override public synchronized long getStaleDirectivesIgnored() { return fence.refused(); }

        private void append(String line) {
            try {
                Files.writeString(directives, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
