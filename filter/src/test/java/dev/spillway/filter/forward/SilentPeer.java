package dev.spillway.filter.forward;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer that stops answering: it accepts every connection and reads each request's head, then says nothing, holding
 * the connection open until {@link #close}, which closes them all (as a peer that died would).
 *
 * <p>{@link #close} stops listening before it closes a connection, and waits for the accepting thread to end first:
 * the JDK client retries a GET whose connection closes before any answer, and a listener that still accepted that
 * retry (seen: 13 ms into close, on a loaded machine) held it open for ever, which is a silent peer that never died.
 */
final class SilentPeer implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestHeads = new AtomicInteger();
    private final Thread acceptor = new Thread(this::acceptAll, "silent-peer-accept");

    SilentPeer() throws IOException {
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Request heads read so far, over all connections. */
    int requestHeads() {
        return requestHeads.get();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                held.add(s);
                Thread r = new Thread(() -> readHeads(s), "silent-peer-read");
                r.setDaemon(true);
                r.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    // Counts every request head (ends with an empty line) that arrives on the connection; answers none.
    private void readHeads(Socket s) {
        try (InputStream in = s.getInputStream()) {
            int state = 0; // how much of "\r\n\r\n" was just seen
            int b;
            while ((b = in.read()) >= 0) {
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                        ? state + 1 : (b == '\r' ? 1 : 0);
                if (state == 4) {
                    requestHeads.incrementAndGet();
                    state = 0;
                }
            }
        } catch (IOException closed) {
            // close() ended it
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        try {
            acceptor.join(10_000); // whatever it accepted meanwhile is in held now, and nothing more will be
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket s : held) {
            s.close();
        }
    }
}
