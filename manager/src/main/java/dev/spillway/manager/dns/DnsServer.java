package dev.spillway.manager.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The name server's sockets: UDP and TCP on the same address and port. UDP: {@code dns.threads} threads, each
 * receives, answers and sends (no queue to grow). TCP: one accept thread and at most {@code dns.tcp.connections}
 * connections served at once, each by its own pooled thread (the product runs on Java 17, so no virtual threads);
 * a connection beyond that is closed at once, an idle one after {@value #TCP_IDLE_MILLIS} ms. All answers come
 * from the {@link DnsResponder}.
 */
public final class DnsServer implements AutoCloseable {
    static final int TCP_IDLE_MILLIS = 5000;
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.dns");

    private final DnsResponder responder;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ThreadPoolExecutor connections;
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final LongAdder answers = new LongAdder();
    private volatile boolean closed;

    private DnsServer(DnsResponder responder, DatagramSocket udp, ServerSocket tcp, int tcpConnections) {
        this.responder = responder;
        this.udp = udp;
        this.tcp = tcp;
        this.connections = new ThreadPoolExecutor(0, tcpConnections, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "spillway-dns-tcp"));
    }

    /**
     * Tries for another port this many times when the port is 0 and the TCP port of the UDP port the system chose is
     * taken: the UDP and TCP ephemeral ports are separate spaces, so a busy machine's outgoing connection can hold it.
     */
    static final int EPHEMERAL_ATTEMPTS = 20;

    /** Binds UDP and TCP (TCP on UDP's port when the port is 0) and starts serving. */
    public static DnsServer start(DnsSettings settings, DnsResponder responder) throws IOException {
        InetAddress bind = InetAddress.getByName(settings.listenHost());
        int attempts = settings.listenPort() == 0 ? EPHEMERAL_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            DatagramSocket udp = bindUdp(settings, bind);
            int port = udp.getLocalPort();
            try {
                ServerSocket tcp = new ServerSocket();
                try {
                    tcp.setReuseAddress(true);
                    tcp.bind(new InetSocketAddress(bind, port), 128);
                } catch (IOException e) {
                    tcp.close();
                    throw e;
                }
                return serving(settings, responder, udp, tcp);
            } catch (IOException e) {
                udp.close();
                if (attempt >= attempts) {
                    throw new IOException("dns.listen=" + settings.listenHost() + ":" + settings.listenPort()
                            + ": cannot bind TCP port " + port + ": " + e.getMessage()
                            + (attempts > 1 ? " (tried " + attempts + " ports)" : ""));
                }
            }
        }
    }

    private static DatagramSocket bindUdp(DnsSettings settings, InetAddress bind) throws IOException {
        try {
            return new DatagramSocket(new InetSocketAddress(bind, settings.listenPort()));
        } catch (IOException e) {
            // no cause: the caller's "address in use" advice is about http.port and jmx.port; this names its key
            throw new IOException("dns.listen=" + settings.listenHost() + ":" + settings.listenPort()
                    + ": cannot bind UDP: " + e.getMessage());
        }
    }

    private static DnsServer serving(DnsSettings settings, DnsResponder responder, DatagramSocket udp,
                                     ServerSocket tcp) {
        DnsServer s = new DnsServer(responder, udp, tcp, settings.tcpConnections());
        for (int i = 0; i < settings.threads(); i++) {
            s.threads.add(daemon(s::serveUdp, "spillway-dns-udp-" + i));
        }
        s.threads.add(daemon(s::acceptTcp, "spillway-dns-accept"));
        s.threads.forEach(Thread::start);
        return s;
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** Answers sent so far (UDP and TCP). */
    public long answers() {
        return answers.sum();
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                packet.setLength(buf.length);
                udp.receive(packet);
                byte[] out = responder.answer(buf, packet.getLength(), packet.getAddress(), true);
                if (out != null) {
                    udp.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
                    answers.increment();
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.DEBUG, "dns udp: " + e);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "dns: query dropped", e); // one bad query never ends the loop
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            Socket s;
            try {
                s = tcp.accept();
            } catch (IOException e) {
                continue; // closed, or a connection that died before accept: nothing to do
            }
            try {
                connections.execute(() -> serveTcp(s));
            } catch (RejectedExecutionException e) {
                closeQuietly(s); // at the connection limit
            }
        }
    }

    /** RFC 1035 4.2.2 framing: two length bytes, then the message; several queries per connection. */
    private void serveTcp(Socket s) {
        open.add(s);
        if (closed) {
            closeQuietly(s);
        }
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            s.setSoTimeout(TCP_IDLE_MILLIS);
            byte[] buf = new byte[65535];
            while (!closed) {
                int len = in.readUnsignedShort();
                in.readFully(buf, 0, len);
                byte[] answer = responder.answer(buf, len, s.getInetAddress(), false);
                if (answer == null) {
                    return; // nothing to say to this peer: end the connection rather than leave it waiting
                }
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
                answers.increment();
            }
        } catch (EOFException | SocketTimeoutException | SocketException e) {
            // the client is done, idle, or gone
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "dns tcp: " + e);
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        closeQuietly(tcp);
        connections.shutdownNow();
        open.forEach(DnsServer::closeQuietly); // a blocked read ends now, not at the idle timeout
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
