package dev.spillway.agent.jmx;

import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.security.Security;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps other processes from replacing the connector's stub in its RMI registry. The JDK's registry lets any
 * process on the same machine {@code bind} and {@code rebind} (it refuses only remote hosts), and a swapped stub
 * collects the credentials every JConsole, agent and manager then sends. The JDK's own jmxremote agent uses a
 * single-entry registry class that is internal to the JDK; the public way is the registry's JEP 290 filter: a
 * remote {@code bind}/{@code rebind} must deserialize the new stub, and {@value #FILTER} admits only the
 * {@code String} names that {@code lookup} sends. Our own {@code bind} is a local call and deserializes nothing.
 *
 * <p>The filter cannot stop {@code unbind}: it sends only a name. {@link #readOnly} closes that too, for connectors
 * that can do without knowing their callers' addresses: it makes every network caller one of unknown origin, which
 * the registry's own access check refuses for {@code bind}, {@code rebind} and {@code unbind} alike (as the JDK's
 * jmxremote registry refuses them), while {@code lookup} and {@code list} stay open.
 *
 * <p>The filter is a JVM-wide setting the JDK reads once, when the first registry of the JVM is created; if
 * something created one before (e.g. {@code -Dcom.sun.management.jmxremote.port}) or the operator set another
 * filter, {@link #verify} finds out and logs how to fix it.
 */
final class RegistryLock {
    private static final Logger LOG = Logger.getLogger(RegistryLock.class.getName());
    static final String PROPERTY = "sun.rmi.registry.registryFilter";
    static final String FILTER = "java.lang.String;!*";
    private static final String PROBE_NAME = "spillway-registry-check";

    private RegistryLock() {
    }

    /**
     * Server sockets for a registry that only this JVM may change: the connections they accept do not tell RMI
     * their peer's address (see {@link UnknownOriginSockets}). Use the result for the registry and the connector
     * alike (they share the port), and only where no MBean relies on {@code RemoteServer.getClientHost()}.
     */
    static java.rmi.server.RMIServerSocketFactory readOnly(java.rmi.server.RMIServerSocketFactory sockets) {
        return new UnknownOriginSockets(sockets);
    }

    /** Sets the filter unless the operator chose one; call before creating a registry. */
    static void install() {
        if (System.getProperty(PROPERTY) == null && Security.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, FILTER);
        }
    }

    /**
     * Tries a bind over the network, as another local process would; it must fail. The probe binds the connector's
     * own stub under another name, so even an unprotected registry never hands out anything foreign.
     */
    static void verify(Registry registry, String host, int port, RMIClientSocketFactory csf, java.rmi.Remote stub) {
        try {
            Registry remote = LocateRegistry.getRegistry(host, port, csf);
            remote.bind(PROBE_NAME, stub);
        } catch (java.rmi.UnmarshalException | java.rmi.ServerException e) {
            return; // refused while reading the stub: the filter is in force
        } catch (Exception e) {
            // e.g. TLS with client authentication: this process has no client key; nothing learned
            LOG.log(Level.FINE, "registry bind check inconclusive", e);
            return;
        }
        try {
            registry.unbind(PROBE_NAME);
        } catch (Exception e) {
            LOG.log(Level.FINE, "removing the registry check entry", e);
        }
        LOG.warning("the JMX connector's RMI registry on port " + port + " accepts bind and rebind from local"
                + " processes, which could replace the connector and collect passwords: a registry was created in"
                + " this JVM before Spillway's, or " + PROPERTY + " is set to another filter. Start the JVM with -D"
                + PROPERTY + "=" + FILTER);
    }
}
