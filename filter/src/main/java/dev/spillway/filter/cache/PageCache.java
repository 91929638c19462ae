package dev.spillway.filter.cache;

import dev.spillway.filter.rules.PathGuard;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The optional built-in page cache ({@code pageCacheKb}, off by default): a GET answered here with status 200 and
 * {@code Cache-Control: public, max-age=N} is kept for N seconds and answers the same GET from memory, so it is
 * served here and never moved. Never stored: a response that sets a cookie or creates a session, is private,
 * no-store or no-cache, says {@code Vary: *}, answers a request with {@code Authorization}, or is larger than an
 * eighth of the cache; a request whose raw URI is not plain ({@link PathGuard}) is neither stored nor answered.
 * {@code Vary} is honoured: a stored page answers only requests with the same values of the headers it names.
 * Bounded in bytes; least recently used pages leave first. The key is the server name and port, the raw URI and the
 * query, so one virtual host's page never answers another's.
 */
public final class PageCache {
    /** Response headers never stored: the container writes its own, or they describe one connection. */
    private static final List<String> NOT_STORED = List.of("date", "content-length", "connection", "keep-alive",
            "transfer-encoding", "set-cookie", "age", "content-type");

    private final long maxBytes;
    private final int maxPageBytes;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, CachedPage> pages = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    public PageCache(long maxBytes, LongSupplier nanoClock) {
        this.maxBytes = maxBytes;
        this.maxPageBytes = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes / 8);
        this.nanoClock = nanoClock;
    }

    /**
     * Answers {@code request} from a fresh stored page; true if it did (then the response is complete).
     * {@code onHit} runs before the first byte is written, so whoever counts hits has counted this one by the time
     * the client has its answer.
     */
    public boolean serve(HttpServletRequest request, HttpServletResponse response, Runnable onHit)
            throws IOException {
        String key = keyOf(request);
        if (key == null) {
            return false;
        }
        long now = nanoClock.getAsLong();
        CachedPage page;
        synchronized (this) {
            page = pages.get(key);
            if (page != null && !page.freshAt(now)) {
                remove(key);
                page = null;
            }
        }
        if (page == null || !page.matches(request)) {
            return false;
        }
        onHit.run();
        response.setStatus(200);
        page.headers().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        if (page.contentType() != null) {
            response.setContentType(page.contentType());
        }
        response.setHeader("Age", Long.toString(TimeUnit.NANOSECONDS.toSeconds(now - page.storedNanos())));
        response.setContentLength(page.body().length);
        response.getOutputStream().write(page.body());
        return true;
    }

    /** The response to pass down the chain: a copying one when the request may be stored, else the response. */
    public HttpServletResponse capture(HttpServletRequest request, HttpServletResponse response) {
        if (keyOf(request) == null || request.getHeader("Authorization") != null) {
            return response;
        }
        return new CapturingResponse(response, maxPageBytes);
    }

    /** After the chain: stores the response passed down if {@link #capture} copied it and it may be kept. */
    public void store(HttpServletRequest request, HttpServletResponse passedDown) {
        if (!(passedDown instanceof CapturingResponse captured) || request.isAsyncStarted()) {
            return;
        }
        byte[] body = captured.finish();
        HttpServletResponse response = (HttpServletResponse) captured.getResponse();
        long seconds = CacheControl.storableSeconds(String.join(", ", response.getHeaders("Cache-Control")));
        if (body == null || seconds == 0 || response.getStatus() != 200 || createdASession(request)
                || !response.getHeaders("Set-Cookie").isEmpty()) {
            return;
        }
        Map<String, String> vary = new LinkedHashMap<>();
        for (String line : response.getHeaders("Vary")) {
            for (String name : line.split(",")) {
                String n = name.trim();
                if (n.equals("*")) {
                    return;
                }
                if (!n.isEmpty()) {
                    vary.put(n, CachedPage.joined(request, n));
                }
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : response.getHeaderNames()) {
            if (!NOT_STORED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, List.copyOf(response.getHeaders(name)));
            }
        }
        long now = nanoClock.getAsLong();
        CachedPage page = new CachedPage(Map.copyOf(headers), response.getContentType(), body, now,
                now + TimeUnit.SECONDS.toNanos(seconds), Map.copyOf(vary));
        put(keyOf(request), page);
    }

    private synchronized void put(String key, CachedPage page) {
        remove(key);
        if (page.size() > maxPageBytes) {
            return;
        }
        pages.put(key, page);
        bytes += page.size();
        Iterator<CachedPage> oldest = pages.values().iterator();
        while (bytes > maxBytes && oldest.hasNext()) {
            bytes -= oldest.next().size();
            oldest.remove();
        }
    }

    private void remove(String key) {
        CachedPage old = pages.remove(key);
        if (old != null) {
            bytes -= old.size();
        }
    }

    /** Bytes held now (for tests and the MXBean's curious reader). */
    public synchronized long bytes() {
        return bytes;
    }

    private static boolean createdASession(HttpServletRequest request) {
        HttpSession s = request.getSession(false);
        return s != null && s.isNew();
    }

    // GET only; a raw URI that is not plain is never a key (its decoded form could name another page).
    private static String keyOf(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod()) || !PathGuard.rawUriIsPlain(request.getRequestURI())) {
            return null;
        }
        String query = request.getQueryString();
        return request.getServerName() + ":" + request.getServerPort() + " " + request.getRequestURI()
                + (query == null ? "" : "?" + query);
    }
}
