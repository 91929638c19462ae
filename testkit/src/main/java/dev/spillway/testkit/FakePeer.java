package dev.spillway.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fake HTTP peer on a loopback port it binds itself (port 0, so no other process can take it first): accepts
 * connections and hands each to a handler on its own thread; the handler writes whatever bytes the test needs.
 */
public final class FakePeer implements AutoCloseable {
    /** The listening socket (closed by {@link #close()}). */
    public final ServerSocket server;
    /** Connections accepted so far. */
    public final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public FakePeer(Consumer<Socket> handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    open.add(s);
                    Thread h = new Thread(() -> handler.accept(s), "fake-peer-conn");
                    h.setDaemon(true);
                    h.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "fake-peer");
        t.setDaemon(true);
        t.start();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
