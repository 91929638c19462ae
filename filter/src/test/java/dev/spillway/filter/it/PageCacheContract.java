package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.RawHttp;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in page cache ({@code pageCacheKb}) in a real container: a page marked {@code public, max-age} is
 * answered from memory, here, even under a directive that moves everything; responses that set a cookie, create a
 * session or are private / no-store are never stored; {@code Vary} is honoured.
 */
abstract class PageCacheContract {
    private static final String PAGE = "/app/cacheable?cc=public,%20max-age=60";
    private ServletContainer container;
    private int port;

    abstract ServletContainer newContainer();

    @BeforeEach
    void start(@TempDir Path tmp) throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "<init-param><param-name>deny</param-name>",
                "<init-param><param-name>redirectCheckInterval</param-name><param-value>0ms</param-value>"
                        + "</init-param><init-param><param-name>pageCacheKb</param-name><param-value>64"
                        + "</param-value></init-param><init-param><param-name>deny</param-name>");
        String xml = java.nio.file.Files.readString(webapp.resolve("WEB-INF/web.xml"));
        java.nio.file.Files.writeString(webapp.resolve("WEB-INF/web.xml"), xml.replace("</web-app>",
                "<servlet><servlet-name>cacheable</servlet-name><servlet-class>" + CacheableServlet.class.getName()
                        + "</servlet-class></servlet><servlet-mapping><servlet-name>cacheable</servlet-name>"
                        + "<url-pattern>/cacheable</url-pattern></servlet-mapping></web-app>"));
        container = newContainer();
        container.start(webapp, FilterInContainerContract.CONTEXT, 8);
        assertNull(container.startupFailure());
        port = container.port();
    }

    @AfterEach
    void stop() throws Exception {
        container.close();
    }

    private static FilterMXBean filter() {
        return JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                ObjectNames.filter(FilterInContainerContract.CONTEXT), FilterMXBean.class);
    }

    private RawHttp.Response get(String target, String... headers) throws Exception {
        RawHttp.Response r = RawHttp.get(port, target, headers);
        assertTrue(r.status() == 200 || r.status() == 307, r.head());
        return r;
    }

    @Test
    void aPublicPageIsAnsweredFromMemoryHereEvenUnderADirectiveThatMovesEverything() throws Exception {
        RawHttp.Response first = get(PAGE);
        assertEquals(200, first.status());
        FilterMXBean f = filter();
        f.applyDirective("REDIRECT", new String[] {"b"}, 1.0, 60_000);
        RawHttp.Response hit = get(PAGE);
        assertEquals(200, hit.status(), "a cached page is never moved: " + hit.head());
        assertEquals(first.body(), hit.body(), "answered from memory, not rendered again");
        assertTrue(hit.head().contains("X-Page: kept") && hit.head().contains("Age: "), hit.head());
        assertTrue(hit.head().toLowerCase(java.util.Locale.ROOT).contains("content-type: text/plain"), hit.head());
        assertEquals(1, f.getPageCacheHits());
        assertEquals(307, get("/app/catalog/item").status(), "a page not in the cache moves");
    }

    @Test
    void aResponseThatSetsACookieCreatesASessionOrIsPrivateIsNeverStored() throws Exception {
        for (String page : new String[] {PAGE + "&cookie=1", PAGE + "&session=1",
                "/app/cacheable?cc=private,%20max-age=60", "/app/cacheable?cc=public,%20max-age=60,%20no-store",
                "/app/cacheable?cc=max-age=60", "/app/cacheable?cc=public"}) {
            assertNotEquals(get(page).body(), get(page).body(), page + " was answered from the cache");
        }
        assertEquals(0, filter().getPageCacheHits());
    }

    @Test
    void varyIsHonoured() throws Exception {
        String page = PAGE + "&vary=Accept-Language";
        String en = get(page, "Accept-Language: en").body();
        String fr = get(page, "Accept-Language: fr").body();
        assertTrue(fr.endsWith("lang=fr"), "the French request got its own render, not the English page: " + fr);
        assertEquals(fr, get(page, "Accept-Language: fr").body(), "and that render is kept for it");
        assertNotEquals(en, fr);
    }
}
