package dev.spillway.agent.jmx;

import java.net.InetAddress;
import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;

/**
 * The address of the client whose RMI call this thread is running. A connector whose registry refuses
 * {@code unbind} ({@link RegistryLock#readOnly}) hides callers' addresses from RMI itself, so RMI's own
 * {@code RemoteServer.getClientHost()} says "0.0.0.0" there; its connections then record the address here as they
 * read. RMI reads a call and runs it on the same thread (one connection handler thread per connection at a time),
 * so the address recorded by the last read on this thread is the caller's.
 */
public final class RmiCaller {
    private static final ThreadLocal<InetAddress> READING_FROM = new ThreadLocal<>();

    private RmiCaller() {
    }

    /** The caller's address as text, or null outside an RMI call. */
    public static String host() {
        InetAddress recorded = READING_FROM.get();
        if (recorded != null) {
            return recorded.getHostAddress();
        }
        try {
            return RemoteServer.getClientHost();
        } catch (ServerNotActiveException e) {
            return null;
        }
    }

    /** A connection of a read-only registry's connector read from {@code peer} on this thread. */
    static void reading(InetAddress peer) {
        READING_FROM.set(peer);
    }
}
