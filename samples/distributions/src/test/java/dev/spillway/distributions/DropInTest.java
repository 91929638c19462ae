package dev.spillway.distributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.Ports;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.management.JMX;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The product promise: the sample WAR, with nothing but the filter JAR in WEB-INF/lib, deployed into a real
 * distribution, registers its MXBean, reads the container's own queue, and decides as configured.
 */
class DropInTest {
    static final String SECRET = "distribution-test-secret-01";

    static Path config(Path dir, String name, String peers) throws Exception {
        Path f = dir.resolve(name + ".properties");
        Files.writeString(f, "peers = " + peers + "\nhopSecret = " + SECRET + "\n");
        return f;
    }

    /** What is deployed is the sample WAR as built: its only library is the filter JAR. */
    @Test
    void theWarCarriesTheFilterJarAndNothingElse() throws Exception {
        List<String> libs = new ArrayList<>();
        try (ZipFile war = new ZipFile(Distribution.DIST.resolve("shop.war").toFile())) {
            war.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("WEB-INF/lib/") && !n.equals("WEB-INF/lib/"))
                    .forEach(libs::add);
        }
        assertEquals(1, libs.size(), "WEB-INF/lib: " + libs);
        assertTrue(libs.get(0).matches("WEB-INF/lib/spillway-filter-[^/]+\\.jar"), libs.get(0));
    }

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void theFilterRunsInTheDistribution(Distribution dist, @TempDir Path tmp) throws Exception {
        int port = Ports.free();
        Path conf = config(tmp, "a", "b=http://127.0.0.1:9/shop");
        try (RunningServer server = dist.start(tmp.resolve("base"), port, conf, "a")) {
            server.awaitUp(Duration.ofSeconds(90));
            HttpResponse<String> page = server.get("/catalog/1");
            assertEquals(200, page.statusCode());
            assertEquals("a", page.headers().firstValue("X-Served-By").orElse(""));

            FilterMXBean filter = JMX.newMXBeanProxy(server.mbeans(), ObjectNames.filter("/shop"), FilterMXBean.class);
            assertEquals("/shop", filter.getContextPath());
            assertEquals(dist.queueSource, filter.getQueueSource(), "the filter reads the container's own pool");
            assertTrue(filter.getRequests() >= 2, "requests counted: " + filter.getRequests());

            filter.applyDirective("REDIRECT", new String[] {"b"}, 1.0, 60_000);
            long eligible = filter.getEligible();
            server.get("/catalog/2");
            server.get("/admin/users");
            server.get("/cart/add");
            assertEquals(eligible + 1, filter.getEligible(), "only the catalog page is eligible");
        }
    }
}
