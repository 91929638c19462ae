package dev.spillway.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * HTTP/1.1 over a plain loopback socket, byte for byte as written: for hostile input a client library would
 * normalise or refuse, and for reading what fake peers are sent. Responses are read until the server closes.
 */
public final class RawHttp {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private RawHttp() {
    }

    /**
     * A response as it came: {@code status} -1 and {@code complete} false when no full head arrived; {@code complete}
     * false too when the body is shorter than its Content-Length or its chunks.
     */
    public record Response(int status, String head, byte[] bodyBytes, boolean complete) {
        /** The header lines, without the status line. */
        public List<String> headerLines() {
            String[] lines = head.split("\r\n");
            return lines.length <= 1 ? List.of() : List.of(lines).subList(1, lines.length);
        }

        /** The first value of header {@code name} (any case), or null. */
        public String header(String name) {
            for (String line : headerLines()) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** The body as UTF-8 text (de-chunked). */
        public String body() {
            return new String(bodyBytes, StandardCharsets.UTF_8);
        }
    }

    /** {@code GET target} with extra header lines (each "Name: value"), Host and Connection: close added. */
    public static Response get(int port, String target, String... headers) throws IOException {
        return send(port, "GET", target, headers);
    }

    /**
     * {@code method target} with extra header lines, Host, Connection: close and (for a method other than GET or
     * HEAD) an empty body added.
     *
     * @throws IOException when no HTTP/1.1 response came back
     */
    public static Response send(int port, String method, String target, String... headers) throws IOException {
        StringBuilder req = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (String h : headers) {
            req.append(h).append("\r\n");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            req.append("Content-Length: 0\r\n");
        }
        req.append("Connection: close\r\n\r\n");
        Response r = exchange(port, req.toString());
        if (!r.head().startsWith("HTTP/1.1 ") || r.status() < 0) {
            throw new IOException("no HTTP response to " + method + " " + target + ": '" + r.head() + "'");
        }
        return r;
    }

    /** Sends {@code request} as is (ISO-8859-1) and reads the response until the server closes. */
    public static Response exchange(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    /** Reads a response until the stream ends; a reset after the data counts as the end. */
    public static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                all.write(buf, 0, n);
            }
        } catch (IOException reset) {
            // keep what came before it
        }
        return parse(all.toByteArray());
    }

    /** Parses raw response bytes (head, then a plain, Content-Length or chunked body). */
    public static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Response(-1, text, new byte[0], false);
        }
        String head = text.substring(0, end);
        String[] statusLine = head.split("\r\n", 2)[0].split(" ");
        int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
        byte[] rest = Arrays.copyOfRange(raw, end + 4, raw.length);
        Response plain = new Response(status, head, rest, status >= 0);
        if ("chunked".equalsIgnoreCase(plain.header("Transfer-Encoding"))) {
            return dechunk(status, head, rest);
        }
        String length = plain.header("Content-Length");
        boolean complete = status >= 0 && (length == null || Long.parseLong(length) == rest.length);
        return new Response(status, head, rest, complete);
    }

    private static Response dechunk(int status, String head, byte[] rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int lineEnd = crlf(rest, i);
            if (lineEnd < 0) {
                return new Response(status, head, out.toByteArray(), false);
            }
            String sizeText = new String(rest, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            i = lineEnd + 2;
            if (size == 0) {
                return new Response(status, head, out.toByteArray(), true);
            }
            if (i + size > rest.length) {
                out.write(rest, i, rest.length - i);
                return new Response(status, head, out.toByteArray(), false);
            }
            out.write(rest, i, size);
            i += size + 2;
        }
    }

    private static int crlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads a request head (up to and including the blank line) from a socket, as text. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int match = 0;
        for (int c = in.read(); c >= 0; c = in.read()) {
            head.write(c);
            match = (c == "\r\n\r\n".charAt(match)) ? match + 1 : (c == '\r' ? 1 : 0);
            if (match == 4) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
