package dev.spillway.manager.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hook that is an HTTP call: a POST of a small JSON document ({@code action}, {@code id}, {@code webUrl},
 * {@code jmxUrl}) to a configured http or https URL. Only a 2xx answer counts as done; any other status (redirects
 * are not followed), a connection failure or no answer within the timeout is a failure. The answer's status and the
 * start of its body are logged.
 */
final class HttpHook implements Hook {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.pool");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int BODY_KEPT = 4000;

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    HttpHook(URI url, long timeoutMillis) {
        this.url = url;
        this.timeout = Duration.ofMillis(timeoutMillis);
        this.client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The document posted: what the command hooks get as arguments, by name. */
    static String body(HookCall call) {
        Map<String, String> doc = new LinkedHashMap<>();
        doc.put("action", call.action());
        doc.put("id", call.host());
        doc.put("webUrl", call.webUrl());
        doc.put("jmxUrl", call.jmxUrl());
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a hook document could not be written", e);
        }
    }

    @Override
    public String describe(HookCall call) {
        return "POST " + url;
    }

    @Override
    public String runOnce(HookCall call) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(call))).build();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            String text = r.body() == null ? "" : r.body();
            if (text.length() > BODY_KEPT) {
                text = text.substring(0, BODY_KEPT) + "...";
            }
            LOG.log(System.Logger.Level.INFO, "pool " + call.action() + " hook POST " + url + " for " + call.host()
                    + " answered " + r.statusCode() + (text.isBlank() ? "" : ": " + text.strip()));
            return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode();
        } catch (HttpTimeoutException e) {
            return "no answer within " + timeout.toMillis() + " ms";
        } catch (IOException e) {
            return "cannot call: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
