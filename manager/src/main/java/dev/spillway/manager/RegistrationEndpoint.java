package dev.spillway.manager;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * The manager's own JMX connector, where agents call {@code register}. The one place the connector is started,
 * so it can be replaced by the agent module's secure connector (password roles, TLS) without touching the rest.
 * Until then: the JDK's RMI connector with registry and server on one port, bound to the configured address
 * (loopback by default), credentials restricted to {@code String}/{@code String[]} and a serial filter on what
 * clients may send.
 */
public final class RegistrationEndpoint implements AutoCloseable {
    private final Registry registry;
    private final JMXConnectorServer server;
    private final JMXServiceURL url;

    private RegistrationEndpoint(Registry registry, JMXConnectorServer server, JMXServiceURL url) {
        this.registry = registry;
        this.server = server;
        this.url = url;
    }

    public static RegistrationEndpoint start(String host, int port, MBeanServer mbs) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        // Stubs carry this host name; without it they may name an interface the socket is not bound to.
        if (System.getProperty("java.rmi.server.hostname") == null) {
            System.setProperty("java.rmi.server.hostname", host);
        }
        BoundSocketFactory ssf = new BoundSocketFactory(address);
        Registry registry = LocateRegistry.createRegistry(port, null, ssf);
        try {
            Map<String, Object> env = new HashMap<>();
            env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, ssf);
            env.put(RMIConnectorServer.CREDENTIALS_FILTER_PATTERN, "java.lang.String;!*");
            env.put(RMIConnectorServer.SERIAL_FILTER_PATTERN,
                    "maxdepth=20;java.lang.*;java.util.*;javax.management.**;java.rmi.MarshalledObject;!*");
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + host + ":" + port
                    + "/jndi/rmi://" + host + ":" + port + "/jmxrmi");
            JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, env, mbs);
            server.start();
            return new RegistrationEndpoint(registry, server, url);
        } catch (IOException | RuntimeException e) {
            UnicastRemoteObject.unexportObject(registry, true);
            throw e;
        }
    }

    public JMXServiceURL url() {
        return url;
    }

    /** The short form clients (agents, JConsole) use: {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi}. */
    public String clientUrl() {
        String path = url.getURLPath();
        return "service:jmx:rmi://" + path;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException ignored) {
            // stopping anyway
        }
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException ignored) {
            // already gone
        }
    }

    /** Server sockets bound to one address; equal instances let RMI share one port for registry and server. */
    static final class BoundSocketFactory implements RMIServerSocketFactory, Serializable {
        private static final long serialVersionUID = 1L;
        private final InetAddress address;

        BoundSocketFactory(InetAddress address) {
            this.address = address;
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BoundSocketFactory b && b.address.equals(address);
        }

        @Override
        public int hashCode() {
            return address.hashCode();
        }
    }
}
