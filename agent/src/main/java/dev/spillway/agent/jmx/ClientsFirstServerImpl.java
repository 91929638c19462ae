package dev.spillway.agent.jmx;

import java.io.IOException;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.remote.rmi.RMIConnection;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.security.auth.Subject;

/**
 * The JDK's RMI connector server, closed in an order that cannot deadlock.
 *
 * <p>{@code RMIServerImpl.close()} holds the server's monitor while it closes each client connection, which takes
 * the connection's monitor. A connection's first notification call (a client adding a listener, as the agent does to
 * hear its filter's pushes) takes them the other way round: it holds the connection's monitor while it asks the
 * server for the notification buffer. A server stopped at that moment hung both threads for good (seen once, in
 * {@code StandaloneWatchTest} beside a CPU hog). Here the server first stops taking connections, then closes the
 * connections it handed out without holding its own monitor, so a connection mid-call can finish; the JDK's close
 * then finds none left.
 */
final class ClientsFirstServerImpl extends RMIJRMPServerImpl {
    private static final Logger LOG = Logger.getLogger(ClientsFirstServerImpl.class.getName());

    /** Weak, as the JDK's own list: a connection the client dropped must not be kept alive by this set. */
    private final Set<RMIConnection> clients = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final AtomicBoolean serverClosed = new AtomicBoolean();

    ClientsFirstServerImpl(int port, RMIClientSocketFactory csf, RMIServerSocketFactory ssf, Map<String, ?> env)
            throws IOException {
        super(port, csf, ssf, env);
    }

    @Override
    protected RMIConnection makeClient(String connectionId, Subject subject) throws IOException {
        RMIConnection client = super.makeClient(connectionId, subject);
        clients.add(client);
        return client;
    }

    @Override
    protected void closeClient(RMIConnection client) throws IOException {
        clients.remove(client);
        super.closeClient(client);
    }

    /** Once only: {@link #close()} stops new connections before the JDK's close asks again. */
    @Override
    protected void closeServer() throws IOException {
        if (serverClosed.compareAndSet(false, true)) {
            super.closeServer();
        }
    }

    @Override
    public void close() throws IOException {
        closeServer();
        List<RMIConnection> open;
        synchronized (clients) {
            open = new ArrayList<>(clients);
        }
        for (RMIConnection client : open) {
            try {
                client.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing a JMX client connection", e);
            }
        }
        super.close();
    }
}
