package dev.spillway.agent.sampling;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Probes a health URL once per sample, asynchronously: a slow page must not delay the sample, so each sample reports
 * the latest completed probe and starts a new one if none is running. Up means an answer with status 200..399 within
 * the timeout. No redirects are followed: a health page that redirects is reported with its 3xx status.
 */
public final class HealthProbe {
    private final URI url;
    private final Duration timeout;
    private final HttpClient client;
    private final ResponseTimeBaseline baseline;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile HealthResult latest = HealthResult.NOT_PROBED;

    public HealthProbe(URI url, Duration timeout, int baselineWindow, Executor executor) {
        this.url = url;
        this.timeout = timeout;
        this.baseline = new ResponseTimeBaseline(baselineWindow);
        // HttpClient starts a selector thread that inherits the context class loader; in a webapp that would pin
        // the webapp's loader after undeploy, so build it with the system loader as context.
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            client = HttpClient.newBuilder().connectTimeout(timeout).executor(executor)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    public URI url() {
        return url;
    }

    /** Starts a probe unless one is still running. */
    public void kick() {
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", "spillway-agent")
                .GET().build();
        long start = System.nanoTime();
        try {
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                double millis = (System.nanoTime() - start) / 1e6;
                if (error != null) {
                    latest = new HealthResult(false, -1, Double.NaN, baseline.baseline());
                } else {
                    int status = response.statusCode();
                    boolean up = status >= 200 && status < 400;
                    if (up) {
                        baseline.add(millis);
                    }
                    latest = new HealthResult(up, status, millis, baseline.baseline());
                }
                inFlight.set(false);
            });
        } catch (RuntimeException e) {
            latest = new HealthResult(false, -1, Double.NaN, baseline.baseline());
            inFlight.set(false);
        }
    }

    public HealthResult latest() {
        return latest;
    }
}
