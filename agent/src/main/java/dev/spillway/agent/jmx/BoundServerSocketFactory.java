package dev.spillway.agent.jmx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * Server sockets for the RMI registry and the connector, bound to one address (the JDK's default and
 * {@code SslRMIServerSocketFactory} bind every interface). Optionally TLS.
 */
final class BoundServerSocketFactory implements RMIServerSocketFactory {
    private final InetAddress address;
    private final SSLContext ssl;
    private final boolean needClientAuth;

    BoundServerSocketFactory(InetAddress address, SSLContext ssl, boolean needClientAuth) {
        this.address = address;
        this.ssl = ssl;
        this.needClientAuth = needClientAuth;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket s;
        if (ssl == null) {
            s = new ServerSocket(port, 50, address);
        } else {
            SSLServerSocket tls = (SSLServerSocket) ssl.getServerSocketFactory().createServerSocket(port, 50, address);
            tls.setNeedClientAuth(needClientAuth);
            s = tls;
        }
        return s;
    }

    // equals/hashCode stay identity on purpose: RMI shares a listening socket between objects exported with equal
    // factories, which is what the registry and connector of one server want (one instance, one port) and what two
    // servers in one JVM (agent and manager in a test) must not get.
}
