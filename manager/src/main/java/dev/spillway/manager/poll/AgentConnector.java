package dev.spillway.manager.poll;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.LoadReport;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.contract.OffloadMode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import javax.management.AttributeNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/** Opens a JMX connection to one agent (credentials and TLS as configured) and reads and calls its MXBean. */
public final class AgentConnector {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.poll");
    static final String HEARTBEAT_PERIOD = "jmx.remote.x.client.connection.check.period";
    private final String user;
    private final String password;
    private final boolean ssl;

    public AgentConnector(String user, String password, boolean ssl) {
        this.user = user == null ? "" : user;
        this.password = password == null ? "" : password;
        this.ssl = ssl;
    }

    public static AgentConnector plain() {
        return new AgentConnector("", "", false);
    }

    /**
     * A live connection; {@link #close()} it when it fails. It reads and calls the agent's MXBean by attribute and
     * operation name on the connection itself rather than through a {@code JMX.newMXBeanProxy}: the same remote
     * calls, without the proxy's reflective mapping on every call, which at a thousand hosts per cycle was a
     * large part of the manager's CPU (BENCHMARKS.md, section 5).
     */
    public static final class Connection implements AutoCloseable {
        private static final String[] DIRECTIVE_SIGNATURE = {String.class.getName(), String[].class.getName(),
            double.class.getName(), long.class.getName()};
        private static final String[] PERMIT_SIGNATURE = {String.class.getName(), String[].class.getName(),
            double[].class.getName(), long.class.getName()};

        final String url;
        final JMXConnector connector;
        private final MBeanServerConnection server;
        private final ObjectName agent = ObjectNames.agent();
        private volatile boolean compact = true;

        Connection(String url, JMXConnector connector, MBeanServerConnection server) {
            this.url = url;
            this.connector = connector;
            this.server = server;
        }

        /**
         * The agent's latest snapshot; null if it has none. Read from the compact {@code LoadReport} attribute (one
         * round trip, values only); an agent older than that attribute, or writing a layout this manager does not
         * know, is read through {@code HostLoad} instead for the rest of this connection (a restarted or upgraded
         * agent is a new connection, and is asked again).
         */
        public HostLoad hostLoad() throws IOException, JMException {
            if (compact) {
                try {
                    return compactLoad();
                } catch (AttributeNotFoundException | LoadReport.UnknownFormatException e) {
                    compact = false;
                    LOG.log(System.Logger.Level.DEBUG, () -> "agent at " + url + " is read through HostLoad: "
                            + e.getMessage());
                }
            }
            return compositeLoad();
        }

        /** True until the agent showed it has no {@code LoadReport} this manager can read. */
        public boolean readsCompactReport() {
            return compact;
        }

        private HostLoad compactLoad() throws IOException, JMException {
            Object value = server.getAttribute(agent, LoadReport.ATTRIBUTE);
            if (value == null) {
                return null;
            }
            if (!(value instanceof byte[] report)) {
                throw new IOException("the agent's " + LoadReport.ATTRIBUTE + " is a " + value.getClass().getName()
                        + ", expected byte[]");
            }
            return LoadReport.decode(report);
        }

        private HostLoad compositeLoad() throws IOException, JMException {
            Object value = server.getAttribute(agent, "HostLoad");
            if (value == null) {
                return null;
            }
            if (!(value instanceof CompositeData cd)) {
                throw new IOException("the agent's HostLoad is a " + value.getClass().getName()
                        + ", expected CompositeData");
            }
            return HostLoad.from(cd);
        }

        public void applyPermit(String mode, String[] targets, double[] budgets, long leaseMillis)
                throws IOException, JMException {
            server.invoke(agent, "applyPermit", new Object[] {mode, targets, budgets, leaseMillis}, PERMIT_SIGNATURE);
        }

        public void applyDirective(String mode, String[] targets, double fraction, long leaseMillis)
                throws IOException, JMException {
            server.invoke(agent, "applyDirective", new Object[] {mode, targets, fraction, leaseMillis},
                    DIRECTIVE_SIGNATURE);
        }

        public void clearDirective() throws IOException, JMException {
            server.invoke(agent, "clearDirective", new Object[0], new String[0]);
        }

        /**
         * Sends a directive, permit or LOCAL stamped with a leader's epoch (> 0) through the agent's fenced
         * operations; false when the agent ignored it because a newer leader has been heard.
         */
        public boolean applyAtEpoch(Directive d) throws IOException, JMException {
            String[] targets = d.targets().toArray(new String[0]);
            Object applied;
            if (d.mode() == OffloadMode.LOCAL) {
                applied = server.invoke(agent, "clearDirectiveAtEpoch", new Object[] {d.epoch()},
                        new String[] {long.class.getName()});
            } else if (d.isPermit()) {
                applied = server.invoke(agent, "applyPermitAtEpoch",
                        new Object[] {d.mode().name(), targets, d.budgetArray(), d.leaseMillis(), d.epoch()},
                        withEpoch(PERMIT_SIGNATURE));
            } else {
                applied = server.invoke(agent, "applyDirectiveAtEpoch",
                        new Object[] {d.mode().name(), targets, d.fraction(), d.leaseMillis(), d.epoch()},
                        withEpoch(DIRECTIVE_SIGNATURE));
            }
            return Boolean.TRUE.equals(applied);
        }

        private static String[] withEpoch(String[] signature) {
            String[] out = java.util.Arrays.copyOf(signature, signature.length + 1);
            out[signature.length] = long.class.getName();
            return out;
        }

        @Override
        public void close() {
            try {
                connector.close();
            } catch (IOException | RuntimeException ignored) {
                // the connection is already broken; nothing more to release
            }
        }
    }

    /** Blocks until connected: callers run it on a pool thread under a deadline (RMI connects can hang). */
    public Connection connect(String url) throws IOException {
        Map<String, Object> env = new HashMap<>();
        // No "JMX client heartbeat" thread per agent: every poll already finds a dead connection (and drops it),
        // and at a thousand hosts those threads were a thousand of the manager's two thousand.
        env.put(HEARTBEAT_PERIOD, 0L);
        if (!user.isEmpty()) {
            env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
        }
        if (ssl) {
            env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
            env.put(dev.spillway.agent.jmx.JmxClients.CHECK_STUB, "true"); // no TLS registry handing out a plain stub
        }
        JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(url), env);
        try {
            return new Connection(url, c, c.getMBeanServerConnection());
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
