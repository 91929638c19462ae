package dev.spillway.manager.poll;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.ObjectNames;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import javax.management.JMX;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/** Opens a JMX connection to one agent (credentials and TLS as configured) and gives its MXBean proxy. */
public final class AgentConnector {
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

    /** A live connection; {@link #close()} it when it fails. */
    public static final class Connection implements AutoCloseable {
        final String url;
        final JMXConnector connector;
        final AgentMXBean agent;

        Connection(String url, JMXConnector connector, AgentMXBean agent) {
            this.url = url;
            this.connector = connector;
            this.agent = agent;
        }

        public AgentMXBean agent() {
            return agent;
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
        if (!user.isEmpty()) {
            env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
        }
        if (ssl) {
            env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
            env.put(dev.spillway.agent.jmx.JmxClients.CHECK_STUB, "true"); // no TLS registry handing out a plain stub
        }
        JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(url), env);
        try {
            AgentMXBean proxy = JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.agent(), AgentMXBean.class);
            return new Connection(url, c, proxy);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
