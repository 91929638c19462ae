package dev.spillway.agent.jmx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.rmi.server.RMIServerSocketFactory;

/**
 * Server sockets whose accepted connections do not tell RMI where they come from ({@link Socket#getInetAddress()}
 * is null). RMI then takes every caller to be of unknown origin ("0.0.0.0"), and the JDK registry's own access
 * check refuses {@code bind}, {@code rebind} and {@code unbind} from an unknown origin before it reads anything,
 * while {@code lookup} and {@code list} stay open and the connector works as before. Calls made inside this JVM
 * (our own {@code bind}) are not network calls and stay allowed. What else sees the missing address: RMI's
 * connection ids and logs (they name 0.0.0.0), and a client whose own host name is unknown (no
 * {@code java.rmi.server.hostname}, host name resolving to 127.0.0.1) takes 0.0.0.0 as the address of objects it
 * exports, which on Linux still reaches it locally. Equality stays identity, as for the wrapped factory: RMI shares
 * one listening socket between objects exported with the same factory instance.
 */
final class UnknownOriginSockets implements RMIServerSocketFactory {
    private final RMIServerSocketFactory sockets;

    UnknownOriginSockets(RMIServerSocketFactory sockets) {
        this.sockets = sockets;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new Listener(sockets.createServerSocket(port));
    }

    /** The wrapped listener; only {@link #accept()} differs. */
    private static final class Listener extends ServerSocket {
        private final ServerSocket listener;

        Listener(ServerSocket listener) throws IOException {
            this.listener = listener;
        }

        @Override
        public Socket accept() throws IOException {
            return new Connection(listener.accept());
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }

        @Override
        public boolean isClosed() {
            return listener.isClosed();
        }

        @Override
        public boolean isBound() {
            return listener.isBound();
        }

        @Override
        public InetAddress getInetAddress() {
            return listener.getInetAddress();
        }

        @Override
        public int getLocalPort() {
            return listener.getLocalPort();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return listener.getLocalSocketAddress();
        }

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            listener.setSoTimeout(timeout);
        }

        @Override
        public synchronized int getSoTimeout() throws IOException {
            return listener.getSoTimeout();
        }

        @Override
        public String toString() {
            return listener.toString();
        }
    }

    /** An accepted connection that hides its peer's address and port; everything else is the real socket's. */
    private static final class Connection extends Socket {
        private final Socket socket;

        Connection(Socket socket) {
            this.socket = socket;
        }

        @Override
        public InetAddress getInetAddress() {
            return null; // RMI reads this as "origin unknown"
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return null;
        }

        @Override
        public int getPort() {
            return 0;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            InetAddress peer = socket.getInetAddress();
            // What RMI is not told, the thread that reads (and then runs the call) is: see RmiCaller.
            return new java.io.FilterInputStream(socket.getInputStream()) {
                @Override
                public int read() throws IOException {
                    RmiCaller.reading(peer);
                    return super.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    RmiCaller.reading(peer);
                    return super.read(b, off, len);
                }
            };
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return socket.getOutputStream();
        }

        @Override
        public synchronized void close() throws IOException {
            socket.close();
        }

        @Override
        public boolean isClosed() {
            return socket.isClosed();
        }

        @Override
        public boolean isConnected() {
            return socket.isConnected();
        }

        @Override
        public boolean isBound() {
            return socket.isBound();
        }

        @Override
        public InetAddress getLocalAddress() {
            return socket.getLocalAddress();
        }

        @Override
        public int getLocalPort() {
            return socket.getLocalPort();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return socket.getLocalSocketAddress();
        }

        @Override
        public SocketChannel getChannel() {
            return null;
        }

        @Override
        public void setTcpNoDelay(boolean on) throws SocketException {
            socket.setTcpNoDelay(on);
        }

        @Override
        public boolean getTcpNoDelay() throws SocketException {
            return socket.getTcpNoDelay();
        }

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            socket.setSoTimeout(timeout);
        }

        @Override
        public synchronized int getSoTimeout() throws SocketException {
            return socket.getSoTimeout();
        }

        @Override
        public void setKeepAlive(boolean on) throws SocketException {
            socket.setKeepAlive(on);
        }

        @Override
        public boolean getKeepAlive() throws SocketException {
            return socket.getKeepAlive();
        }

        @Override
        public void setSoLinger(boolean on, int linger) throws SocketException {
            socket.setSoLinger(on, linger);
        }

        @Override
        public int getSoLinger() throws SocketException {
            return socket.getSoLinger();
        }

        @Override
        public synchronized void setReceiveBufferSize(int size) throws SocketException {
            socket.setReceiveBufferSize(size);
        }

        @Override
        public synchronized int getReceiveBufferSize() throws SocketException {
            return socket.getReceiveBufferSize();
        }

        @Override
        public synchronized void setSendBufferSize(int size) throws SocketException {
            socket.setSendBufferSize(size);
        }

        @Override
        public synchronized int getSendBufferSize() throws SocketException {
            return socket.getSendBufferSize();
        }

        @Override
        public void shutdownInput() throws IOException {
            socket.shutdownInput();
        }

        @Override
        public void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        @Override
        public boolean isInputShutdown() {
            return socket.isInputShutdown();
        }

        @Override
        public boolean isOutputShutdown() {
            return socket.isOutputShutdown();
        }

        @Override
        public String toString() {
            return "connection of unknown origin to " + socket.getLocalSocketAddress();
        }
    }
}
