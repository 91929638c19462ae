package dev.spillway.bench.passthrough;

import dev.spillway.bench.proxy.ProxyBench;
import dev.spillway.filter.OffloadFilter;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * What the filter costs a request when no directive is in force (the state a server is in nearly all the time):
 * one Jetty server, the same hello page in two contexts, {@code /plain} without and {@code /filtered} with the
 * real {@link OffloadFilter} (page rules, peers and hop secret configured, as in production). wrk at fixed
 * concurrency, A and B alternated for several rounds in one run so the machine's drift hits both alike; the
 * median round of each is reported.
 *
 * <p>Usage: {@code PassThroughBench [seconds=5] [connections=32] [threads=1] [rounds=5]}.
 */
public final class PassThroughBench {
    private PassThroughBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler plain = new ServletContextHandler("/plain");
        plain.addServlet(new ServletHolder(new ProxyBench.Hello()), "/*");
        ServletContextHandler filtered = new ServletContextHandler("/filtered");
        filtered.addServlet(new ServletHolder(new ProxyBench.Hello()), "/*");
        FilterHolder spillway = new FilterHolder(new OffloadFilter());
        spillway.setAsyncSupported(true);
        spillway.setInitParameter("allow", "/catalog/*, /search");
        spillway.setInitParameter("deny", "/admin/*");
        spillway.setInitParameter("stateful", "/cart/*");
        spillway.setInitParameter("peers", "b=http://127.0.0.1:9/filtered");
        spillway.setInitParameter("hopSecret", "benchmark-secret-0123456789");
        filtered.addFilter(spillway, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        server.setHandler(new ContextHandlerCollection(plain, filtered));
        server.start();
        String base = "http://127.0.0.1:" + connector.getLocalPort();
        String[][] targets = {
            {"without the filter", base + "/plain/catalog/1"},
            {"with the filter, no directive", base + "/filtered/catalog/1"},
        };
        for (String[] t : targets) {
            ProxyBench.wrk(t[0] + " (warm-up)", t[1], 3, connections, threads);
        }
        List<List<ProxyBench.Result>> results = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            // ABAB... then BABA... so neither always runs first
            for (int k = 0; k < targets.length; k++) {
                int i = round % 2 == 0 ? k : targets.length - 1 - k;
                results.get(i).add(ProxyBench.wrk(targets[i][0], targets[i][1], seconds, connections, threads));
            }
        }
        System.out.printf(Locale.ROOT, "%nwrk -t%d -c%d -d%ds --latency, %d alternated rounds, median round of each "
                + "(Jetty %s, %d cores, JDK %s)%n", threads, connections, seconds, rounds, Server.getVersion(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "| %-30s | %10s | %9s | %9s | %7s |%n", "target", "requests/s", "p50", "p99",
                "errors");
        System.out.println("|--------------------------------|------------|-----------|-----------|---------|");
        ProxyBench.Result[] median = new ProxyBench.Result[targets.length];
        for (int i = 0; i < targets.length; i++) {
            List<ProxyBench.Result> rs = new ArrayList<>(results.get(i));
            rs.sort((x, y) -> Double.compare(x.rps(), y.rps()));
            median[i] = rs.get(rs.size() / 2);
            System.out.printf(Locale.ROOT, "| %-30s | %10.0f | %9s | %9s | %7d |%n", targets[i][0], median[i].rps(),
                    median[i].p50(), median[i].p99(), median[i].errors());
        }
        double[] p99 = new double[targets.length];
        for (int i = 0; i < targets.length; i++) {
            List<Double> ps = new ArrayList<>();
            results.get(i).forEach(r -> ps.add(ProxyBench.millis(r.p99())));
            ps.sort(Double::compare);
            p99[i] = ps.get(ps.size() / 2);
        }
        System.out.printf(Locale.ROOT, "%nwith / without the filter, throughput: %.3fx (goal >= 0.98)%n",
                median[1].rps() / median[0].rps());
        System.out.printf(Locale.ROOT, "with / without the filter, median p99: %.3fx (goal <= 1.05)%n",
                p99[1] / p99[0]);
        server.stop();
    }
}
