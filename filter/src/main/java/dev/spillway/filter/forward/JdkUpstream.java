package dev.spillway.filter.forward;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;

/**
 * Proxied requests over the JDK's {@link HttpClient}. Its callbacks (ProxyExchange, ServerResponseRelay,
 * ClientBodyPublisher) never block; they run on a bounded pool of our own ({@link ProxyThreads}) unless an executor
 * is given, not on the client's single selector thread.
 *
 * <p>What costs the most is not ours: JDK 17's {@code sendAsync} hands every completed exchange to
 * {@code CompletableFuture}'s default executor, which, when the common ForkJoinPool has parallelism 1 (any box with
 * two CPUs or fewer), starts a new thread per request. Only a JVM-wide flag changes that, hence the warning.
 */
final class JdkUpstream implements UpstreamClient {
    private final HttpClient client;
    private final ExecutorService ownExecutor; // null when the executor was given
    private final Duration proxyTimeout;

    JdkUpstream(ForwardSettings settings, Executor givenExecutor) {
        if (ForkJoinPool.getCommonPoolParallelism() < 2) {
            System.getLogger(JdkUpstream.class.getName()).log(System.Logger.Level.WARNING,
                    "Spillway proxy mode: the JVM's common ForkJoinPool has parallelism "
                            + ForkJoinPool.getCommonPoolParallelism() + " (" + Runtime.getRuntime()
                            .availableProcessors() + " CPUs), so the JDK HttpClient starts a thread per proxied "
                            + "request. Use " + ForwardSettings.PROXY_CLIENT + "=jetty, or start the JVM with "
                            + "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2 (or more).");
        }
        this.ownExecutor = givenExecutor == null ? ProxyThreads.create("spillway-proxy") : null;
        this.proxyTimeout = Duration.ofMillis(settings.proxyTimeoutMillis());
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // else the JDK client tries an h2c upgrade
                .connectTimeout(Duration.ofMillis(settings.connectTimeoutMillis()))
                .followRedirects(HttpClient.Redirect.NEVER) // the peer's redirects go to the client
                .proxy(HttpClient.Builder.NO_PROXY) // peers are reached directly, never via a JVM proxy
                .executor(givenExecutor != null ? givenExecutor : ownExecutor)
                .build();
    }

    @Override
    public Call newCall(URI target, String method, ClientBodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(proxyTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        return new Call() {
            @Override
            public void header(String name, String value) {
                try {
                    b.header(name, value);
                } catch (IllegalArgumentException invalidForTheJdkClient) {
                    // a name or value the JDK client deems invalid is not passed on
                }
            }

            @Override
            public void send(ProxyExchange exchange) {
                java.util.concurrent.CompletableFuture<?> sent = client.sendAsync(b.build(),
                        info -> exchange.head(info.statusCode(), info.headers().map()));
                sent.whenComplete((r, failure) -> {
                            if (failure != null) {
                                exchange.failedBeforeHead(isConnectFailure(failure)
                                        ? new UpstreamNotReached(failure)
                                        // refused before sending (an invalid header or method): the client's
                                        : Failures.has(failure, IllegalArgumentException.class)
                                                ? new UpstreamRefused(failure) : failure);
                            }
                        });
                exchange.abortUpstreamWith(() -> sent.cancel(true)); // JDK 16+: cancelling aborts the exchange
            }
        };
    }

    private static boolean isConnectFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpConnectTimeoutException || c instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** (The JDK 17 client has no close(); its selector thread ends once the client is unreachable and idle.) */
    @Override
    public void close() {
        if (ownExecutor != null) {
            ownExecutor.shutdown(); // exchanges still running finish their queued callbacks
        }
    }
}
