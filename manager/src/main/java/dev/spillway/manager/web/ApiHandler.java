package dev.spillway.manager.web;

import dev.spillway.manager.coordination.LeadershipStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.spillway.manager.route.HostAddress;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes: {@code GET /} dashboard, {@code GET /api/hosts|decisions|route|history}, {@code GET /api/events}
 * (server-sent events), {@code GET /api/stream} (the data as server-sent events, JSON or XML),
 * {@code GET /metrics}, {@code POST /api/hosts/{id}/drain|enable} with {@code Authorization: Bearer <token>}.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Pattern HOST_ACTION = Pattern.compile("/api/hosts/([^/]+)/(drain|enable)");
    private static final String JSON = "application/json; charset=utf-8";

    private final ManagerConsole console;
    private final byte[] tokenHash;
    private final ManagerMetrics metrics;
    private final byte[] dashboardHtml;
    private final byte[] dashboardJs;
    private final EventStream events;
    private final DataStream stream;

    ApiHandler(ManagerConsole console, String token) throws IOException {
        this.console = console;
        this.tokenHash = token == null || token.isEmpty() ? null : sha256(token);
        this.metrics = new ManagerMetrics(console);
        this.dashboardHtml = resource("dashboard.html");
        this.dashboardJs = resource("dashboard.js");
        this.events = new EventStream(console);
        this.stream = new DataStream(console);
    }

    @Override
    protected void doStop() throws Exception {
        events.close();
        stream.close();
        super.doStop();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        Matcher action = HOST_ACTION.matcher(path);
        if (action.matches()) {
            if (!method.equals("POST")) {
                return error(request, response, callback, 405, "use POST");
            }
            return hostAction(request, response, callback, action.group(1), action.group(2).equals("drain"));
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return error(request, response, callback, 405, "use GET");
        }
        switch (path) {
            case "/", "/index.html" -> send(response, callback, 200, "text/html; charset=utf-8", dashboardHtml);
            case "/dashboard.js" -> send(response, callback, 200, "text/javascript; charset=utf-8", dashboardJs);
            case "/api/events" -> {
                if (!events.subscribe(response, callback)) {
                    return error(request, response, callback, 503, "too many event streams open (at most "
                            + EventStream.MAX_SUBSCRIBERS + ")");
                }
            }
            case "/api/stream" -> {
                StreamFormat format;
                try {
                    format = StreamFormat.choose(Request.extractQueryParameters(request).getValue("format"),
                            request.getHeaders().get(HttpHeader.ACCEPT));
                } catch (IllegalArgumentException e) {
                    return error(request, response, callback, 400, e.getMessage());
                }
                if (!stream.subscribe(response, callback, format)) {
                    return error(request, response, callback, 503, "too many data streams open (at most "
                            + DataStream.MAX_SUBSCRIBERS + ")");
                }
            }
            case "/api/hosts" -> json(response, callback, 200, hosts(console.hosts()));
            case "/api/decisions" -> json(response, callback, 200, console.decisions());
            case "/api/leader" -> json(response, callback, 200, console.leadership());
            case "/api/history" -> {
                // the dashboard plots the last two minutes; ?samples= asks for more (up to what is kept)
                String n = Request.extractQueryParameters(request).getValue("samples");
                int samples = n != null && n.matches("\\d{1,6}") ? Integer.parseInt(n) : 120;
                json(response, callback, 200, HistoryDocument.of(console.history(samples)));
            }
            case "/api/route" -> {
                String zone = Request.extractQueryParameters(request).getValue("zone");
                String client = Request.extractQueryParameters(request).getValue("client");
                java.net.InetAddress at = client == null ? null : HostAddress.literal(client);
                if (client != null && at == null) {
                    return error(request, response, callback, 400,
                            "client=" + client + ": expected an IPv4 or IPv6 address literal");
                }
                json(response, callback, 200, console.route(zone == null ? "" : zone, at));
            }
            case "/metrics" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                metrics.write(out);
                send(response, callback, 200, metrics.contentType(), out.toByteArray());
            }
            default -> {
                return error(request, response, callback, 404, "not found");
            }
        }
        return true;
    }

    private boolean hostAction(Request request, Response response, Callback callback, String id, boolean drain) {
        if (tokenHash == null) {
            return error(request, response, callback, 403, "drain and enable are disabled: no token configured");
        }
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.startsWith("Bearer ")) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            return error(request, response, callback, 401, "missing Authorization: Bearer <token>");
        }
        // Hash first: MessageDigest.isEqual is constant-time only for equal lengths; digests always are.
        if (!MessageDigest.isEqual(tokenHash, sha256(auth.substring(7)))) {
            return error(request, response, callback, 403, "wrong token");
        }
        LeadershipStatus lead = console.leadership();
        if (!lead.mayWrite()) {
            // a follower's drain would be undone by the leader, which alone sends: say where to go instead
            return error(request, response, callback, 409, "this manager does not lead cluster " + lead.cluster()
                    + (lead.leader().isEmpty() ? " (no leader now)" : "; the leader is " + lead.leader()));
        }
        boolean known;
        try {
            known = console.setDrained(id, drain);
        } catch (IllegalStateException e) {
            // shared drains (ZooKeeper) could not be written, or the lead was lost meanwhile: nothing changed
            return error(request, response, callback, 503, e.getMessage());
        }
        if (!known) {
            return error(request, response, callback, 404, "unknown host");
        }
        json(response, callback, 200, new DrainAnswer(id, drain));
        return true;
    }

    private record DrainAnswer(String id, boolean drained) {
    }

    private record ErrorAnswer(int status, String error) {
    }

    private static List<HostDocument> hosts(List<? extends HostSnapshot> hosts) {
        return hosts.stream().map(HostDocument::of).toList();
    }

    private static boolean error(Request request, Response response, Callback callback, int status, String message) {
        json(response, callback, status, new ErrorAnswer(status, message));
        return true;
    }

    private static void json(Response response, Callback callback, int status, Object document) {
        send(response, callback, status, JSON, ApiJson.write(document));
    }

    private static void send(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ApiHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }

}
