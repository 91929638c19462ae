package dev.spillway.agent.sampling;

import dev.spillway.agent.jmx.JmxClients;
import java.io.IOException;
import java.time.Duration;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;

/**
 * A container JVM reached by JMX URL. Connects lazily with a timeout and, after a failure, waits (doubling up to
 * a minute) before trying again, so a dead container costs the sampling thread one timeout per back-off period
 * instead of one per sample.
 */
public final class RemoteJvm implements JvmConnection {
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    private final String url;
    private final String user;
    private final String password;
    private final boolean tls;
    private final Duration timeout;
    private JMXConnector connector;
    private MBeanServerConnection connection;
    private long backoffMillis = 1_000;
    private long nextAttemptMillis;
    private String lastError = "not connected yet";

    public RemoteJvm(String url, String user, String password, boolean tls, Duration timeout) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.tls = tls;
        this.timeout = timeout;
    }

    @Override
    public synchronized MBeanServerConnection connection() throws IOException {
        if (connection != null) {
            return connection;
        }
        long now = System.currentTimeMillis();
        if (now < nextAttemptMillis) {
            throw new IOException(url + " unreachable (" + lastError + "); next attempt in "
                    + (nextAttemptMillis - now) + " ms");
        }
        try {
            connector = JmxClients.connect(url, user, password, tls, timeout);
            connection = connector.getMBeanServerConnection();
            backoffMillis = 1_000;
            return connection;
        } catch (IOException e) {
            lastError = e.getMessage();
            nextAttemptMillis = now + backoffMillis;
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
            throw e;
        }
    }

    @Override
    public synchronized void broken() {
        JmxClients.closeQuietly(connector);
        connector = null;
        connection = null;
    }

    @Override
    public String describe() {
        return url;
    }

    @Override
    public void close() {
        broken();
    }
}
