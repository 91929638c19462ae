package dev.spillway.agent.jmx;

import java.io.IOException;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/**
 * A JMX RMI connector that JConsole and VisualVM can open at {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi},
 * built the careful way:
 * <ul>
 *   <li>the RMI registry and the connector listen on the configured address only (loopback by default);</li>
 *   <li>optional password-file authentication with a readonly and a control role ({@link RoleAccessGuard});</li>
 *   <li>optional TLS on the registry and the connector;</li>
 *   <li>a credentials filter that deserializes nothing but {@code String[2]} (the CVE-2016-3427 pattern) and a
 *       JEP 290 serial filter on every request's parameters.</li>
 * </ul>
 * Used by the agent and by the manager. {@link #close()} frees the port and unexports everything, so a webapp
 * redeploy leaves nothing behind.
 */
public final class SecureJmxServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SecureJmxServer.class.getName());

    /** Only {user, password}: a credentials object is deserialized before anyone is authenticated. */
    public static final String CREDENTIALS_FILTER = "maxarray=2;maxdepth=2;java.lang.String;!*";

    /**
     * What a request may deserialize, both the RMI call arguments (ObjectName, MarshalledObject, Subject) and the
     * wrapped MBean parameters: JMX's own types (Attribute, open types, query and notification filters), boxed
     * primitives, Strings and the few java.util collections they use. Limits stop nested-collection bombs.
     */
    public static final String SERIAL_FILTER = "maxdepth=30;maxarray=100000;maxrefs=100000;maxbytes=10000000;"
            + "java.lang.String;java.lang.Number;java.lang.Integer;java.lang.Long;java.lang.Double;java.lang.Float;"
            + "java.lang.Short;java.lang.Byte;java.lang.Boolean;java.lang.Character;java.lang.Enum;"
            + "java.lang.Object;java.math.BigInteger;java.math.BigDecimal;java.util.Date;"
            + "java.util.ArrayList;java.util.Vector;java.util.HashMap;java.util.TreeMap;java.util.HashSet;"
            + "java.util.Collections$*;java.util.Arrays$ArrayList;"
            + "java.rmi.MarshalledObject;javax.security.auth.Subject;javax.management.**;!*";

    /** How many ports "any free port" (port 0) tries before it gives up. */
    static final int ANY_PORT_ATTEMPTS = 5;

    private final JmxServerSettings settings;
    private final Registry registry;
    private final RMIConnectorServer connector;
    private final ClientsFirstServerImpl serverImpl;
    private final JMXServiceURL serviceUrl;
    private final int port;

    private SecureJmxServer(JmxServerSettings settings, Registry registry, ClientsFirstServerImpl serverImpl,
                            RMIConnectorServer connector, int port) throws IOException {
        this.settings = settings;
        this.registry = registry;
        this.serverImpl = serverImpl;
        this.connector = connector;
        this.port = port;
        this.serviceUrl = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + hostForUrl(settings.advertisedHost())
                + ":" + port + "/jmxrmi");
    }

    /**
     * Starts the connector for {@code mbs}.
     *
     * @throws dev.spillway.settings.ConfigException naming the key when a password, access or key store file is unusable
     * @throws IOException when the port cannot be bound
     */
    public static SecureJmxServer start(JmxServerSettings s, MBeanServer mbs) throws IOException {
        return start(s, mbs, false);
    }

    /**
     * As {@link #start(JmxServerSettings, MBeanServer)}; with {@code registryReadOnly} the RMI registry also refuses
     * {@code unbind} from other processes (see {@link RegistryLock#readOnly}), at the price of RMI not knowing any
     * caller's address: an MBean that needs it reads {@link RmiCaller#host()}, never
     * {@code RemoteServer.getClientHost()} (which then says "0.0.0.0").
     */
    public static SecureJmxServer start(JmxServerSettings s, MBeanServer mbs, boolean registryReadOnly)
            throws IOException {
        return start(s, mbs, registryReadOnly, SecureJmxServer::freePort);
    }

    /** Resolves "any free port" to a number (a test hands out a taken one). */
    interface PortSource {
        int next(JmxServerSettings s) throws IOException;
    }

    static SecureJmxServer start(JmxServerSettings s, MBeanServer mbs, boolean registryReadOnly, PortSource anyPort)
            throws IOException {
        PasswordFileAuthenticator authenticator = null;
        if (s.authenticates()) {
            authenticator = PasswordFileAuthenticator.load(s.passwordFile(), s.accessFile(), s.keyPrefix(),
                    s.bindAddress().isLoopbackAddress());
        }
        SSLContext ssl = s.tls().enabled() ? s.tls().sslContext() : null;
        RMIServerSocketFactory bound = new BoundServerSocketFactory(s.bindAddress(), ssl, s.tls().needClientAuth());
        RMIServerSocketFactory ssf = registryReadOnly ? RegistryLock.readOnly(bound) : bound;
        RMIClientSocketFactory csf = ssl == null ? null : new SslRMIClientSocketFactory();

        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.CREDENTIALS_FILTER_PATTERN, CREDENTIALS_FILTER);
        env.put(RMIConnectorServer.SERIAL_FILTER_PATTERN, SERIAL_FILTER);
        // Exported objects must not keep the JVM alive: a container JVM must be able to exit with the agent in it.
        env.put("jmx.remote.x.daemon", "true");
        if (authenticator != null) {
            env.put(JMXConnectorServer.AUTHENTICATOR, authenticator);
        }
        if (csf != null) {
            env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, csf);
        }
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, ssf);

        // Stubs carry java.rmi.server.hostname or this machine's address; a loopback-bound connector must hand
        // out a host it is actually reachable at.
        String previousHostname = System.getProperty("java.rmi.server.hostname");
        if (previousHostname == null) {
            System.setProperty("java.rmi.server.hostname", s.advertisedHost());
        }
        // RMI may start threads here; they must not pin a webapp's class loader as context loader.
        Thread current = Thread.currentThread();
        ClassLoader previousLoader = current.getContextClassLoader();
        current.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            // RMI never closes a listener it opened for port 0 (it keeps it as the JVM's shared anonymous port), so
            // "any free port" is resolved to a real number first; then close() really frees it. That number was free
            // a moment ago only: anything on the machine may take it before the registry binds it (a CI run failed
            // so), so "any free port" tries a few; a configured port is the operator's and is tried once.
            int attempts = s.port() == 0 ? ANY_PORT_ATTEMPTS : 1;
            for (int attempt = 1; ; attempt++) {
                int registryPort = s.port() != 0 ? s.port() : anyPort.next(s);
                try {
                    return open(s, mbs, registryPort, csf, ssf, env, authenticator != null);
                } catch (IOException e) {
                    if (attempt >= attempts || !portTaken(e)) {
                        throw new IOException("cannot start the JMX connector on " + s.bindAddress().getHostAddress()
                                + ":" + s.port() + ": " + e.getMessage(), e);
                    }
                    LOG.fine(() -> "port " + registryPort + " was taken before the JMX connector bound it; another");
                }
            }
        } finally {
            current.setContextClassLoader(previousLoader);
        }
    }

    private static SecureJmxServer open(JmxServerSettings s, MBeanServer mbs, int registryPort,
                                        RMIClientSocketFactory csf, RMIServerSocketFactory ssf, Map<String, Object> env,
                                        boolean authenticates) throws IOException {
        Registry registry = null;
        RMIConnectorServer connector = null;
        try {
            int rmiPort = s.rmiPort() != 0 ? s.rmiPort() : registryPort;
            RegistryLock.install();
            registry = LocateRegistry.createRegistry(registryPort, csf, ssf);
            ClientsFirstServerImpl impl = new ClientsFirstServerImpl(rmiPort, csf, ssf, env);
            connector = new RMIConnectorServer(new JMXServiceURL("rmi", s.advertisedHost(), rmiPort), env, impl, mbs);
            connector.setMBeanServerForwarder(RoleAccessGuard.create(authenticates));
            connector.start();
            registry.bind("jmxrmi", impl.toStub());
            RegistryLock.verify(registry, s.bindAddress().isAnyLocalAddress() ? "127.0.0.1"
                    : s.bindAddress().getHostAddress(), registryPort, csf, impl.toStub());
            SecureJmxServer server = new SecureJmxServer(s, registry, impl, connector, registryPort);
            LOG.info(() -> "JMX connector at " + server.serviceUrl() + " (bound to "
                    + s.bindAddress().getHostAddress() + (s.authenticates() ? ", password" : ", no authentication")
                    + (s.tls().enabled() ? ", TLS)" : ")"));
            return server;
        } catch (IOException | RuntimeException | java.rmi.AlreadyBoundException e) {
            stopQuietly(connector, registry);
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e);
        }
    }

    /** Whether binding failed because something else holds the port (RMI wraps the BindException). */
    static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    public JMXServiceURL serviceUrl() {
        return serviceUrl;
    }

    /** The registry port (the one in the service URL). */
    public int port() {
        return port;
    }

    public JmxServerSettings settings() {
        return settings;
    }

    /** The RMI server object behind the connector (a test opens a connection on it directly). */
    ClientsFirstServerImpl serverImpl() {
        return serverImpl;
    }

    @Override
    public void close() {
        stopQuietly(connector, registry);
    }

    private static void stopQuietly(RMIConnectorServer connector, Registry registry) {
        if (connector != null) {
            try {
                connector.stop();
            } catch (IOException e) {
                LOG.log(Level.FINE, "stopping the JMX connector", e);
            }
        }
        if (registry != null) {
            try {
                UnicastRemoteObject.unexportObject(registry, true);
            } catch (NoSuchObjectException e) {
                // already gone
            }
        }
    }

    private static int freePort(JmxServerSettings s) throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, s.bindAddress())) {
            return probe.getLocalPort();
        }
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
