package dev.spillway.filter.forward;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/** The webapp behind the filter (a plain, non-async servlet) that records what reached it. */
final class OriginServlet extends HttpServlet {
    record Seen(String method, String path, String query, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(", ", v);
        }
    }

    final String name;
    final AtomicInteger hits = new AtomicInteger();
    final Map<String, Integer> ids = new ConcurrentHashMap<>();
    final AtomicLong bytesWritten = new AtomicLong();
    volatile Seen last;
    volatile CountDownLatch readGate = new CountDownLatch(0);

    OriginServlet(String name) {
        this.name = name;
    }

    void reset() {
        hits.set(0);
        ids.clear();
        bytesWritten.set(0);
        last = null;
        readGate = new CountDownLatch(0);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        hits.incrementAndGet();
        String id = req.getHeader("X-Test-Id");
        if (id != null) {
            ids.merge(id, 1, Integer::sum);
        }
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        Map<String, List<String>> headers = new TreeMap<>();
        for (String n : Collections.list(req.getHeaderNames())) {
            headers.computeIfAbsent(n.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .addAll(Collections.list(req.getHeaders(n)));
        }
        last = new Seen(req.getMethod(), path, req.getQueryString(), headers);
        resp.setHeader("X-Served-By", name);

        if (path.startsWith("/status/")) {
            int code = Integer.parseInt(path.substring("/status/".length()));
            resp.setStatus(code);
            resp.setHeader("X-Status-Note", "relayed");
            if (code == 302) {
                resp.setHeader("Location", "/elsewhere");
            }
            if (code != 204 && code != 304) {
                resp.getOutputStream().write(("status " + code).getBytes());
            }
        } else if (path.startsWith("/bytes/")) {
            long n = Long.parseLong(path.substring("/bytes/".length()));
            long seed = Long.parseLong(param(req, "seed", "1"));
            if ("1".equals(req.getParameter("len"))) {
                resp.setContentLengthLong(n);
            }
            resp.setContentType("application/octet-stream");
            if (req.getMethod().equals("HEAD")) {
                return;
            }
            ServletOutputStream out = resp.getOutputStream();
            PseudoRandomBytes in = new PseudoRandomBytes(seed, n);
            byte[] buf = new byte[64 * 1024];
            int r;
            while ((r = in.read(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, r);
                bytesWritten.addAndGet(r);
            }
        } else if (path.equals("/sum-then-bytes")) {
            // Reads the whole body, then answers with its sum and a generated body: big bodies both ways.
            CRC32 crc = new CRC32();
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            int r;
            ServletInputStream in = req.getInputStream();
            while ((r = in.read(buf)) > 0) {
                crc.update(buf, 0, r);
                total += r;
            }
            resp.setHeader("X-Body-Sum", total + " " + crc.getValue());
            PseudoRandomBytes gen = new PseudoRandomBytes(Long.parseLong(req.getParameter("seed")),
                    Long.parseLong(req.getParameter("n")));
            ServletOutputStream out = resp.getOutputStream();
            while ((r = gen.read(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, r);
            }
        } else if (path.equals("/sum") || path.equals("/echo-body")) {
            if ("1".equals(req.getParameter("pause"))) {
                try {
                    readGate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean echo = path.equals("/echo-body");
            ServletInputStream in = req.getInputStream();
            ServletOutputStream out = echo ? resp.getOutputStream() : null;
            CRC32 crc = new CRC32();
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            int r;
            while ((r = in.read(buf)) > 0) {
                crc.update(buf, 0, r);
                total += r;
                if (echo) {
                    out.write(buf, 0, r);
                }
            }
            if (!echo) {
                resp.getOutputStream().write((total + " " + crc.getValue()).getBytes());
            }
        } else {
            resp.setHeader("X-Echo-Method", req.getMethod());
            resp.setHeader("X-Echo-Path", path);
            if (req.getQueryString() != null) {
                resp.setHeader("X-Echo-Query", req.getQueryString());
            }
            resp.setHeader("X-Custom", "custom-value");
            if (req.getParameter("spare") != null) {
                resp.setHeader("Spillway-Spare", req.getParameter("spare")); // as a peer that is not Spillway might
            }
            resp.addHeader("Set-Cookie", "a=1; Path=/");
            resp.addHeader("Set-Cookie", "b=2; Path=/");
            resp.setContentType("text/plain;charset=utf-8");
            resp.getOutputStream().write(("served by " + name + " " + path).getBytes());
        }
    }

    private static String param(HttpServletRequest r, String n, String def) {
        String v = r.getParameter(n);
        return v == null ? def : v;
    }
}
