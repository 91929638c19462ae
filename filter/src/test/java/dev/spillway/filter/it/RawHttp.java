package dev.spillway.filter.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request exactly as written, byte for byte, so nothing between the test and the server normalises a
 * hostile request target. Reads the whole response (the request says Connection: close).
 */
final class RawHttp {
    private RawHttp() {
    }

    record Response(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** {@code GET target} with the given extra header lines (each "Name: value"). */
    static Response get(int port, String target, String... headers) throws IOException {
        return send(port, "GET", target, headers);
    }

    static Response send(int port, String method, String target, String... headers) throws IOException {
        StringBuilder req = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (String h : headers) {
            req.append(h).append("\r\n");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            req.append("Content-Length: 0\r\n");
        }
        req.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            if (!head.startsWith("HTTP/1.1 ") || head.length() < 12) {
                throw new IOException("no HTTP response to " + method + " " + target + ": '" + text + "'");
            }
            return new Response(Integer.parseInt(head.substring(9, 12)), head, body);
        }
    }
}
