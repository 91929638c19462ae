package dev.spillway.bench.proxy;

import dev.spillway.settings.ConfigValues;
import dev.spillway.filter.forward.ForwardSettings;
import dev.spillway.filter.forward.Forwarder;
import dev.spillway.filter.forward.Forwarding;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Proxy and redirect throughput, side by side in one run, measured with {@code wrk} at fixed concurrency:
 * <ul>
 *   <li>straight to the peer (a hello-world servlet in Jetty);</li>
 *   <li>through the Spillway filter in proxy mode (Jetty front; to the peer the JDK HttpClient, its callbacks on
 *       its own pool or inline, and the relocated Jetty HttpClient, {@code proxyClient=jetty});</li>
 *   <li>through Jetty's own {@code ProxyServlet.Transparent} (Jetty front, Jetty HttpClient to the peer);</li>
 *   <li>the filter's 307 redirect vs hello-world on the same front server.</li>
 * </ul>
 * Usage: {@code ProxyBench [seconds=10] [connections=32] [threads=1] [rounds=2]}. Rounds alternate the targets (in
 * ABBA order) so drift in a shared machine's load spreads over all of them; every round is printed, with its ratios (each from
 * figures of that round only) and the load average after it.
 */
public final class ProxyBench {
    private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.US_ASCII);

    /** The peer's page, and the local page of the redirect comparison. */
    public static final class Hello extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.setContentLength(HELLO.length);
            resp.getOutputStream().write(HELLO);
        }
    }

    /** Moves every request under its mapping with one forwarder, as OffloadFilter does for chosen requests. */
    static final class MoveAll implements Filter {
        private final Forwarder forwarder;
        private final Peer peer;

        MoveAll(Forwarder forwarder, Peer peer) {
            this.forwarder = forwarder;
            this.peer = peer;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest r = (HttpServletRequest) req;
            if (Forwarding.isFallbackDispatch(r)) {
                chain.doFilter(req, resp);
                return;
            }
            String path = r.getServletPath() + (r.getPathInfo() == null ? "" : r.getPathInfo());
            if (!forwarder.forward(r, (HttpServletResponse) resp, chain, peer, path).taken()) {
                chain.doFilter(req, resp);
            }
        }
    }

    static final String DIRECT = "direct to peer (hello)";
    static final String FILTER_JDK = "Spillway proxy, JDK client";
    static final String FILTER_JDK_INLINE = "Spillway proxy, JDK, inline";
    static final String FILTER_JETTY = "Spillway proxy, Jetty client";
    static final String PROXY_SERVLET = "Jetty ProxyServlet.Transparent";
    static final String HELLO_FRONT = "hello-world on front server";
    static final String REDIRECT = "Spillway filter 307 redirect";

    /** One wrk run; {@code cpuMicrosPerRequest}: this JVM's CPU time (all its servers) during the run / requests. */
    public record Result(String name, double rps, String p50, String p99, long errors, double cpuMicrosPerRequest) { }

    public static void main(String[] args) throws Exception {
        boolean serveOnly = args.length > 0 && args[0].equals("serve");
        if (serveOnly) {
            args = new String[0];
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;

        Server peerServer = server();
        ServletContextHandler peerCtx = new ServletContextHandler("/");
        peerCtx.addServlet(new ServletHolder(new Hello()), "/*");
        peerServer.setHandler(peerCtx);
        peerServer.start();
        String peerUrl = "http://127.0.0.1:" + port(peerServer);
        Peer peer = Peer.parse("peer=" + peerUrl);

        HopMarker marker = new HopMarker("benchmark-secret-0123456789".getBytes(StandardCharsets.UTF_8), 30_000,
                System::currentTimeMillis);
        // The filter's proxy over the JDK client (proxyClient=jdk; its callbacks on the client's own pool), and the
        // same with the callbacks run inline on the JDK client's selector thread, for comparison.
        ForwardSettings jdk = ForwardSettings.from(ConfigValues.of(Map.of(ForwardSettings.PROXY_CLIENT, "jdk")));
        Forwarding forwarding = Forwarding.create(jdk, marker, List.of(peer));
        Forwarding inline = Forwarding.create(jdk, marker, List.of(peer), Runnable::run);
        // And over the Jetty HTTP client relocated into the filter JAR (proxyClient=jetty, the default).
        Forwarding jettyClient = Forwarding.create(ForwardSettings.from(ConfigValues.of(
                Map.of(ForwardSettings.PROXY_CLIENT, "jetty"))), marker, List.of(peer));

        // Front server 1: the Spillway filter, proxy mode on /p/* and /i/*, redirect mode on /r/*, plain hello on
        // /hello.
        Server front = server();
        ServletContextHandler frontCtx = new ServletContextHandler("/");
        frontCtx.addServlet(new ServletHolder(new Hello()), "/*");
        addFilter(frontCtx, new MoveAll(forwarding.proxy(), peer), "/p/*");
        addFilter(frontCtx, new MoveAll(inline.proxy(), peer), "/i/*");
        addFilter(frontCtx, new MoveAll(jettyClient.proxy(), peer), "/j/*");
        addFilter(frontCtx, new MoveAll(forwarding.redirect(), peer), "/r/*");
        front.setHandler(frontCtx);
        front.start();
        String frontUrl = "http://127.0.0.1:" + port(front);

        // Front server 2: Jetty's transparent ProxyServlet to the same peer.
        Server jettyProxy = server();
        ServletContextHandler jpCtx = new ServletContextHandler("/");
        ServletHolder ps = new ServletHolder(new ProxyServlet.Transparent());
        ps.setInitParameter("proxyTo", peerUrl);
        ps.setAsyncSupported(true);
        jpCtx.addServlet(ps, "/*");
        jettyProxy.setHandler(jpCtx);
        jettyProxy.start();
        String jettyProxyUrl = "http://127.0.0.1:" + port(jettyProxy);

        String[][] targets = {
            {DIRECT, peerUrl + "/p/hello"},
            {FILTER_JDK, frontUrl + "/p/hello"},
            {PROXY_SERVLET, jettyProxyUrl + "/p/hello"},
            {FILTER_JETTY, frontUrl + "/j/hello"},
            {FILTER_JDK_INLINE, frontUrl + "/i/hello"},
            {HELLO_FRONT, frontUrl + "/hello"},
            {REDIRECT, frontUrl + "/r/hello"},
        };
        if (serveOnly) { // for poking at the servers by hand
            for (String[] t : targets) {
                System.out.println(t[0] + ": " + t[1]);
            }
            Thread.currentThread().join();
        }
        // Warm-up (JIT, connection pools), not reported.
        for (String[] t : targets) {
            wrk(t[0], t[1], 3, connections, threads);
        }
        List<Map<String, Result>> perRound = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Map<String, Result> measured = new java.util.HashMap<>();
            for (int i = 0; i < targets.length; i++) {
                // ABBA: every other round runs the targets backwards, so no target always follows the same one.
                String[] t = targets[round % 2 == 0 ? i : targets.length - 1 - i];
                measured.put(t[0], wrk(t[0], t[1], seconds, connections, threads));
            }
            Map<String, Result> results = new LinkedHashMap<>();
            for (String[] t : targets) {
                results.put(t[0], measured.get(t[0]));
            }
            perRound.add(results);
            loads.add(loadAverage());
        }
        System.out.printf(Locale.ROOT, "%nwrk -t%d -c%d -d%ds --latency, %d rounds, all servers in one JVM "
                + "(Jetty %s, %d cores, JDK %s)%n", threads, connections, seconds, rounds, Server.getVersion(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "| round | %-32s | %10s | %9s | %9s | %7s | %12s |%n", "target", "requests/s",
                "p50", "p99", "errors", "CPU us/req");
        System.out.println("|-------|----------------------------------|------------|-----------|-----------|---------|"
                + "--------------|");
        for (int round = 0; round < rounds; round++) {
            for (Result r : perRound.get(round).values()) {
                System.out.printf(Locale.ROOT, "| %5d | %-32s | %10.0f | %9s | %9s | %7d | %12.0f |%n", round + 1,
                        r.name(), r.rps(), r.p50(), r.p99(), r.errors(), r.cpuMicrosPerRequest());
            }
        }
        System.out.printf(Locale.ROOT, "%n| round | load average (1 5 15 min) after it | client | throughput vs ProxyServlet "
                + "(goal >= 1.0) | p99 vs ProxyServlet (goal <= 1.1) | CPU per request vs ProxyServlet |%n");
        System.out.println("|---|---|---|---|---|---|");
        for (int round = 0; round < rounds; round++) {
            Map<String, Result> r = perRound.get(round);
            Result jetty = r.get(PROXY_SERVLET);
            for (String filter : List.of(FILTER_JDK, FILTER_JDK_INLINE, FILTER_JETTY)) {
                Result f = r.get(filter);
                System.out.printf(Locale.ROOT, "| %d | %s | %s | %.2fx | %.2fx | %.2fx |%n", round + 1,
                        loads.get(round), filter, f.rps() / jetty.rps(), millis(f.p99()) / millis(jetty.p99()),
                        f.cpuMicrosPerRequest() / jetty.cpuMicrosPerRequest());
            }
        }
        for (int round = 0; round < rounds; round++) {
            Map<String, Result> r = perRound.get(round);
            System.out.printf(Locale.ROOT, "round %d: 307 redirect / hello-world throughput: %.2fx (goal >= 0.9)%n",
                    round + 1, r.get(REDIRECT).rps() / r.get(HELLO_FRONT).rps());
        }

        jettyProxy.stop();
        front.stop();
        forwarding.close();
        inline.close();
        jettyClient.close();
        peerServer.stop();
    }

    private static void addFilter(ServletContextHandler ctx, Filter filter, String mapping) {
        FilterHolder h = new FilterHolder(filter);
        h.setAsyncSupported(true);
        ctx.addFilter(h, mapping, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    }

    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static Server server() {
        Server s = new Server();
        ServerConnector c = new ServerConnector(s);
        c.setHost("127.0.0.1");
        c.setPort(0);
        s.addConnector(c);
        return s;
    }

    private static int port(Server s) {
        return ((ServerConnector) s.getConnectors()[0]).getLocalPort();
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P50 = Pattern.compile("^\\s+50%\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern P99 = Pattern.compile("^\\s+99%\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    public static Result wrk(String name, String url, int seconds, int connections, int threads) throws Exception {
        long cpuBefore = processCpuNanos();
        Process p = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency",
                url).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
            }
        }
        int exit = p.waitFor();
        long cpuNanos = processCpuNanos() - cpuBefore;
        if (exit != 0) {
            throw new IllegalStateException("wrk failed for " + url + ":\n" + out);
        }
        String text = out.toString();
        Matcher rps = RPS.matcher(text);
        Matcher p50 = P50.matcher(text);
        Matcher p99 = P99.matcher(text);
        if (!rps.find() || !p50.find() || !p99.find()) {
            throw new IllegalStateException("cannot read wrk output:\n" + text);
        }
        long errors = 0;
        Matcher n = NON2XX.matcher(text);
        if (n.find()) {
            errors += Long.parseLong(n.group(1));
        }
        Matcher se = SOCKET_ERRORS.matcher(text);
        if (se.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(se.group(g));
            }
        }
        Matcher total = TOTAL.matcher(text);
        double cpuPerRequest = total.find() ? cpuNanos / 1000.0 / Long.parseLong(total.group(1)) : Double.NaN;
        System.err.printf(Locale.ROOT, "%-32s %10s req/s  p50 %s  p99 %s  errors %d  CPU %.0f us/request%n", name,
                rps.group(1), p50.group(1), p99.group(1), errors, cpuPerRequest);
        return new Result(name, Double.parseDouble(rps.group(1)), p50.group(1), p99.group(1), errors, cpuPerRequest);
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    public static double millis(String wrkLatency) {
        Matcher m = Pattern.compile("([0-9.]+)(us|ms|s)").matcher(wrkLatency);
        if (!m.matches()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            default -> v * 1000;
        };
    }
}
