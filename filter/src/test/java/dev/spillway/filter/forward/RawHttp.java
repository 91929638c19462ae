package dev.spillway.filter.forward;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** HTTP/1.1 over a plain socket, for input a client library would normalise or refuse, and for fake peers. */
final class RawHttp {
    record Response(int status, List<String> headerLines, byte[] body, boolean complete) {
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String l : headerLines) {
                if (l.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    return l.substring(prefix.length()).trim();
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} as is (ISO-8859-1) and reads the response until the server closes. */
    static Response exchange(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = in.read(buf)) > 0) {
                all.write(buf, 0, n);
            }
        } catch (IOException reset) {
            // a reset after the data counts as the end
        }
        return parse(all.toByteArray());
    }

    static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Response(-1, List.of(), raw, false);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
        byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        Response head = new Response(status, headers, rest, true);
        if ("chunked".equalsIgnoreCase(head.header("Transfer-Encoding"))) {
            return dechunk(status, headers, rest);
        }
        String cl = head.header("Content-Length");
        boolean complete = cl == null || Long.parseLong(cl) == rest.length;
        return new Response(status, headers, rest, complete);
    }

    private static Response dechunk(int status, List<String> headers, byte[] rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int lineEnd = indexOf(rest, i);
            if (lineEnd < 0) {
                return new Response(status, headers, out.toByteArray(), false);
            }
            String sizeText = new String(rest, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            i = lineEnd + 2;
            if (size == 0) {
                return new Response(status, headers, out.toByteArray(), true);
            }
            if (i + size > rest.length) {
                out.write(rest, i, rest.length - i);
                return new Response(status, headers, out.toByteArray(), false);
            }
            out.write(rest, i, size);
            i += size + 2;
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads a request head (up to the blank line) from a socket; returns it as text. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        int match = 0;
        while ((c = in.read()) >= 0) {
            head.write(c);
            match = (c == "\r\n\r\n".charAt(match)) ? match + 1 : (c == '\r' ? 1 : 0);
            if (match == 4) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** A fake peer: accepts connections and hands each to {@code handler} on its own thread. */
    static final class FakePeer implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();
        final List<Socket> open = new java.util.concurrent.CopyOnWriteArrayList<>();

        FakePeer(Consumer<Socket> handler) throws IOException {
            server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
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

        String url() {
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
}
