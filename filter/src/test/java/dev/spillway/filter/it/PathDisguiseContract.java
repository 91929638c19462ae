package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.management.JMX;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 12 item 13: generated disguises of denied ({@code /admin/*}) and stateful ({@code /cart/*}, {@code *.do})
 * pages — percent-encoding of any character (also double and triple), dot segments, empty segments,
 * {@code ;params}, case changes, backslashes, encoded separators, NUL, Unicode case lookalikes, overlong UTF-8 —
 * sent to the real OffloadFilter in a real container while a directive moves every eligible request. Whenever
 * {@link ReferenceCanonicalPath} reads the path as a denied or stateful page, the filter must not judge it eligible.
 * A bounded number of tries from a fixed seed keeps each container's run short and repeatable; a failure names the
 * seed, the try and the disguise ({@code -Dspillway.disguise.seed=N} runs another seed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PathDisguiseContract {
    private static final int TRIES = 2000;
    private static final long SEED = Long.getLong("spillway.disguise.seed", 20261206L);
    private static final List<String> PAGES = List.of("/admin", "/admin/users", "/admin/", "/cart/view",
            "/cart/add", "/checkout.do", "/shop/pay.do", "/catalog/item", "/public/admin", "/catalog/cart");

    private ServletContainer container;
    private FilterMXBean filter;

    abstract ServletContainer newContainer();

    @BeforeAll
    void start() throws Exception {
        container = newContainer();
        container.start(FilterInContainerContract.WEBAPP, FilterInContainerContract.CONTEXT, 8);
        assertNull(container.startupFailure());
        filter = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                ObjectNames.filter(FilterInContainerContract.CONTEXT), FilterMXBean.class);
    }

    @AfterAll
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    /** A page and one to four disguising steps, drawn from {@code rnd}. */
    static PathDisguise disguised(Random rnd) {
        PathDisguise.Kind[] kinds = PathDisguise.Kind.values();
        List<PathDisguise.Step> steps = new ArrayList<>();
        for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
            steps.add(new PathDisguise.Step(kinds[rnd.nextInt(kinds.length)], rnd.nextInt(65)));
        }
        return new PathDisguise(PAGES.get(rnd.nextInt(PAGES.size())), steps);
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

    @Test
    void aDisguisedDeniedOrStatefulPageIsNeverEligible() throws Exception {
        Random rnd = new Random(SEED);
        int kept = 0;
        int movable = 0;
        for (int i = 0; i < TRIES; i++) {
            PathDisguise d = disguised(rnd);
            String raw = d.raw();
            boolean deniedOrStateful = ReferenceCanonicalPath.isDeniedOrStateful(ReferenceCanonicalPath.of(raw));
            boolean eligible = judgedEligible(raw);
            int at = i;
            assertFalse(deniedOrStateful && eligible, () -> "seed " + SEED + ", try " + at + ": the filter would move "
                    + raw + " (canonical " + ReferenceCanonicalPath.of(raw) + "; " + d + ")");
            if (deniedOrStateful) {
                kept++;
            } else {
                movable++;
            }
        }
        // the generator must exercise both sides, or the property proves nothing
        assertTrue(kept > TRIES / 10 && movable > 0, "denied/stateful " + kept + ", movable " + movable);
    }

    /** The probe can fail: plain movable pages are eligible, plain denied ones are not. */
    @Test
    void plainPagesAreJudgedAsTheReferenceSays() throws Exception {
        assertTrue(judgedEligible("/catalog/item"));
        assertTrue(judgedEligible("/public/admin"));
        assertFalse(judgedEligible("/admin/users"));
        assertFalse(judgedEligible("/cart/view"));
        assertFalse(judgedEligible("/checkout.do"));
    }

    /** The reference reads the disguises as intended (checked without any server). */
    @Test
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
