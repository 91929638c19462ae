package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.JMX;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 12 item 13: generated disguises of denied ({@code /admin/*}) and stateful ({@code /cart/*}, {@code *.do})
 * pages — percent-encoding of any character (also double and triple), dot segments, empty segments,
 * {@code ;params}, case changes, backslashes, encoded separators, NUL, Unicode case lookalikes, overlong UTF-8 —
 * sent to the real OffloadFilter in a real container while a directive moves every eligible request. Whenever
 * {@link ReferenceCanonicalPath} reads the path as a denied or stateful page, the filter must not judge it eligible.
 * A bounded number of tries keeps each container's run short; jqwik reports the seed of any failure.
 */
abstract class PathDisguiseContract {
    private static final List<String> PAGES = List.of("/admin", "/admin/users", "/admin/", "/cart/view",
            "/cart/add", "/checkout.do", "/shop/pay.do", "/catalog/item", "/public/admin", "/catalog/cart");

    private ServletContainer container;
    private FilterMXBean filter;

    abstract ServletContainer newContainer();

    @BeforeProperty
    void start() throws Exception {
        container = newContainer();
        container.start(FilterInContainerContract.WEBAPP, FilterInContainerContract.CONTEXT, 8);
        assertNull(container.startupFailure());
        filter = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                ObjectNames.filter(FilterInContainerContract.CONTEXT), FilterMXBean.class);
    }

    @AfterProperty
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    @Provide
    Arbitrary<PathDisguise> disguised() {
        Arbitrary<PathDisguise.Step> step = Combinators.combine(Arbitraries.of(PathDisguise.Kind.class),
                Arbitraries.integers().between(0, 64)).as(PathDisguise.Step::new);
        return Combinators.combine(Arbitraries.of(PAGES), step.list().ofMinSize(1).ofMaxSize(4))
                .as(PathDisguise::new);
    }

    /** True if the filter judged the request eligible (it would have moved it). */
    private boolean judgedEligible(String rawPath) throws Exception {
        // Re-applied each time, so a long run cannot outlive the lease and pass by being LOCAL.
        filter.applyDirective("PROXY", new String[] {"b"}, 1.0, 60_000);
        long before = filter.getEligible();
        RawHttp.Response r = RawHttp.get(container.port(), FilterInContainerContract.CONTEXT + rawPath);
        assertTrue(r.status() >= 200 && r.status() < 600, rawPath + " was not answered");
        return filter.getEligible() != before;
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.BOUNDED)
    void aDisguisedDeniedOrStatefulPageIsNeverEligible(@ForAll("disguised") PathDisguise d) throws Exception {
        String raw = d.raw();
        boolean kept = ReferenceCanonicalPath.isDeniedOrStateful(ReferenceCanonicalPath.of(raw));
        boolean eligible = judgedEligible(raw);
        Statistics.label("reference").collect(kept ? "denied/stateful" : "movable");
        Statistics.label("filter").collect(eligible ? "eligible" : "kept here");
        assertFalse(kept && eligible, () -> "the filter would move " + raw + " (canonical "
                + ReferenceCanonicalPath.of(raw) + "; " + d + ")");
    }

    /** The probe can fail: plain movable pages are eligible, plain denied ones are not. */
    @Example
    void plainPagesAreJudgedAsTheReferenceSays() throws Exception {
        assertTrue(judgedEligible("/catalog/item"));
        assertTrue(judgedEligible("/public/admin"));
        assertFalse(judgedEligible("/admin/users"));
        assertFalse(judgedEligible("/cart/view"));
        assertFalse(judgedEligible("/checkout.do"));
    }

    /** The reference reads the disguises as intended (checked without any server). */
    @Example
    void theReferenceSeesThroughDisguises() {
        for (String raw : new String[] {"/%2561dmin", "/Admin/users", "/admin;x=1", "/public/..%2f..%2fadmin",
            "/zz\\..\\admin", "//admin", "/admin.", "/admin%20/users", "/.../admin", "/adm%C4%B1n", "/cart%00.html",
            "/%252561dmin", "/checkout.DO", "/zz/%2e%2e/cart/x"}) {
            assertTrue(ReferenceCanonicalPath.isDeniedOrStateful(ReferenceCanonicalPath.of(raw)), raw);
        }
        assertEquals("/catalog/item", ReferenceCanonicalPath.of("/catalog/./item"));
        assertFalse(ReferenceCanonicalPath.isDeniedOrStateful(ReferenceCanonicalPath.of("/public/admin")));
    }
}
