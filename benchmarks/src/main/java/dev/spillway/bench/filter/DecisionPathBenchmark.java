package dev.spillway.bench.filter;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.filter.Eligibility;
import dev.spillway.filter.OffloadDecider;
import dev.spillway.filter.OffloadFilter;
import dev.spillway.filter.directive.ActiveDirective;
import dev.spillway.filter.directive.DirectiveSlot;
import dev.spillway.filter.directive.PeerAvailability;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.jmx.FilterCounters;
import dev.spillway.filter.peers.Peer;
import dev.spillway.filter.rules.PageRules;
import dev.spillway.filter.rules.UrlPattern;
import dev.spillway.filter.testing.StubRequest;
import dev.spillway.filter.testing.StubResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The filter's per-request cost (issue 2's goals: (a) ≤ 100 ns and 0 B/op; (b), (c) ≤ 200 ns).
 * <ul>
 *   <li>(a) {@code noDirective}: the whole {@code doFilter} with no directive, load bookkeeping included, around a
 *       chain that does nothing;</li>
 *   <li>(b) {@code directiveButNotEligible}: the whole {@code doFilter} while a directive moves everything, for a
 *       denied page;</li>
 *   <li>(c) {@code eligibleAndChosen}: the decision for an eligible page that the directive chooses (directive read,
 *       checked path, eligibility, fraction, target), without the move itself, which the forwarding benchmarks
 *       measure.</li>
 *   <li>(d) {@code permitPoolFree}: the whole {@code doFilter} while a permit is in force and the pool has a free
 *       worker (the common case of issue 11: ≤ 150 ns);</li>
 *   <li>(e) {@code permitSpillDecision}: a backed-up pool's decision under a permit (eligibility, then the target
 *       with the least budget spent, charged), without the move itself.</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/spillway-benchmarks.jar DecisionPath -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@State(Scope.Benchmark)
public class DecisionPathBenchmark {
    private static final String SECRET = "bench-secret-0123456789";
    private static final FilterChain NOTHING = (req, res) -> { };
    private OffloadFilter idle;
    private OffloadFilter offloading;
    private OffloadFilter permitted;
    private DirectiveSlot permitSlot;
    private StubRequest catalog;
    private StubRequest admin;
    private StubResponse response;

    private DirectiveSlot slot;
    private OffloadDecider decider;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        idle = filter("/idle");
        offloading = filter("/offloading");
        JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), ObjectNames.filter("/offloading"),
                FilterMXBean.class).applyDirective("PROXY", new String[] {"b"}, 1.0, 86_400_000L);
        permitted = filter("/permitted");
        JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), ObjectNames.filter("/permitted"),
                FilterMXBean.class).applyPermit("REDIRECT", new String[] {"b"}, new double[] {1e9}, 86_400_000L);
        catalog = StubRequest.get("/catalog/item");
        admin = StubRequest.get("/admin/users");
        response = new StubResponse();

        Peer b = Peer.parse("b=http://127.0.0.1:8081/app");
        slot = new DirectiveSlot(List.of(b), System::nanoTime);
        slot.apply(Directive.of("REDIRECT", new String[] {"b"}, 1.0, 86_400_000L));
        permitSlot = new DirectiveSlot(List.of(b), System::nanoTime);
        permitSlot.apply(Directive.permitOf("REDIRECT", new String[] {"b"}, new double[] {1e9}, 86_400_000L));
        PageRules rules = new PageRules(List.of(), List.of(UrlPattern.parse("/admin/*")),
                List.of(UrlPattern.parse("/cart/*"), UrlPattern.parse("*.do")));
        HopMarker marker = new HopMarker(SECRET.getBytes(StandardCharsets.UTF_8), 30_000, System::currentTimeMillis);
        decider = new OffloadDecider(new Eligibility(List.of("GET", "HEAD"), rules, true, marker),
                new FilterCounters(), PeerAvailability.ALWAYS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        idle.destroy();
        offloading.destroy();
        permitted.destroy();
    }

    @Benchmark
    public void noDirective() throws Exception {
        idle.doFilter(catalog, response, NOTHING);
    }

    @Benchmark
    public void directiveButNotEligible() throws Exception {
        offloading.doFilter(admin, response, NOTHING);
    }

    @Benchmark
    public void eligibleAndChosen(Blackhole bh) {
        ActiveDirective d = slot.offloading(System.nanoTime());
        bh.consume(decider.choose(d, catalog, Eligibility.checkedPath(catalog)));
    }

    @Benchmark
    public void permitPoolFree() throws Exception {
        permitted.doFilter(catalog, response, NOTHING);
    }

    @Benchmark
    public void permitSpillDecision(Blackhole bh) {
        long now = System.nanoTime();
        ActiveDirective d = permitSlot.offloading(now);
        bh.consume(decider.spill(d, catalog, Eligibility.checkedPath(catalog), now));
    }

    // FilterConfig and ServletContext are only touched by init(), so a dynamic proxy is fine for them.
    private static OffloadFilter filter(String contextPath) throws Exception {
        Map<String, String> params = Map.of("deny", "/admin/*", "stateful", "/cart/*, *.do",
                "peers", "b=http://127.0.0.1:8081/app", "hopSecret", SECRET);
        ServletContext context = (ServletContext) Proxy.newProxyInstance(DecisionPathBenchmark.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getContextPath" -> contextPath;
                    case "getClassLoader" -> DecisionPathBenchmark.class.getClassLoader();
                    case "getServerInfo" -> "benchmark";
                    default -> null;
                });
        FilterConfig config = (FilterConfig) Proxy.newProxyInstance(DecisionPathBenchmark.class.getClassLoader(),
                new Class<?>[] {FilterConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "getFilterName" -> "spillway";
                    case "getServletContext" -> context;
                    case "getInitParameter" -> params.get((String) a[0]);
                    case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                    default -> null;
                });
        OffloadFilter f = new OffloadFilter();
        f.init(config);
        return f;
    }
}
