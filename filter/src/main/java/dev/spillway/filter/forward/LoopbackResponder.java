package dev.spillway.filter.forward;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway HTTP/1.1 server on the loopback address that answers every request with a small 200, keeping
 * connections open: what {@link RelayWarmUp} sends its exchanges to, so that warming the proxy's client costs no
 * peer anything. Bound to 127.0.0.1 on an ephemeral port for the warm-up's few hundred milliseconds only. It reads
 * request heads only (the warm-up sends no bodies).
 */
final class LoopbackResponder implements AutoCloseable {
    private static final byte[] ANSWER = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nCache-Control: no-store\r\n"
            + "Content-Length: 2\r\n\r\nok").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger answered = new AtomicInteger();

    private LoopbackResponder(ServerSocket listener) {
        this.listener = listener;
    }

    static LoopbackResponder start() throws IOException {
        LoopbackResponder r = new LoopbackResponder(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()));
        daemon(r::accept, "spillway-proxy-warmup-accept");
        return r;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + path);
    }

    /** Requests answered so far. */
    int answered() {
        return answered.get();
    }

    private void accept() {
        try {
            while (true) {
                Socket s = listener.accept();
                open.add(s);
                daemon(() -> serve(s), "spillway-proxy-warmup-conn");
            }
        } catch (IOException closed) {
            // close() ends the warm-up
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            while (readHead(in)) {
                out.write(ANSWER);
                out.flush();
                answered.incrementAndGet();
            }
        } catch (IOException closed) {
            // the client or close() ended the connection
        } finally {
            open.remove(s);
        }
    }

    // Reads up to the blank line that ends a request head; false at the end of the stream.
    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return true;
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
