package dev.spillway.filter.forward;

import java.net.URI;

/**
 * The HTTP client that carries proxied requests to the peers: the JDK's ({@link JdkUpstream}) or Jetty's, relocated
 * into the filter JAR ({@link JettyUpstream}); chosen by {@link ForwardSettings#PROXY_CLIENT}. Everything that is
 * the proxy's policy (which headers cross, framing, what a failure means) stays in {@link ProxyForwarder} and
 * {@link ProxyExchange}; an implementation only moves bytes and reports, in its own threads, what happened:
 * the peer's response head to {@link ProxyExchange#head}, its body to the returned relay, and a failure before the
 * head to {@link ProxyExchange#failedBeforeHead}, as an {@link UpstreamNotReached} when nothing went upstream.
 */
interface UpstreamClient extends AutoCloseable {

    /**
     * Starts building a request to the peer. Nothing is sent yet.
     *
     * @param body the client's body, or null when the request has none
     * @throws IllegalArgumentException if this client cannot send such a request (the caller then serves locally)
     */
    Call newCall(URI target, String method, ClientBodyPublisher body);

    /**
     * Opens up to {@code connections} pooled connections to {@code peer} now, in the background, so that the first
     * requests moved there find them open. A peer that cannot be reached is left to the first real request.
     * Clients without a connection pool to fill do nothing.
     */
    default void preconnect(URI peer, int connections) {
    }

    /** Stops the client's threads and closes its connections. */
    @Override
    void close();

    /** One request to the peer, being built. */
    interface Call {
        /** Adds an end-to-end header; one the client deems invalid is left out. */
        void header(String name, String value);

        /** Sends it; from here on every outcome reaches {@code exchange}. */
        void send(ProxyExchange exchange);
    }
}
