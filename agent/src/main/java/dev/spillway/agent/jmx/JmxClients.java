package dev.spillway.agent.jmx;

import java.io.IOException;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.naming.Context;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/** Opens JMX connections with a deadline: an RMI connect to a half-dead host can otherwise hang for minutes. */
public final class JmxClients {
    private JmxClients() {
    }

    /**
     * Connects to {@code url}.
     *
     * @param user     null or empty for a connector without authentication
     * @param tls      true when the server uses TLS; the client trusts what {@code javax.net.ssl.trustStore} trusts
     * @param timeout  how long to wait for the connection before giving up
     * @throws IOException on failure or timeout; a refused login is an IOException caused by a SecurityException
     */
    public static JMXConnector connect(String url, String user, String password, boolean tls, Duration timeout)
            throws IOException {
        JMXServiceURL serviceUrl;
        try {
            serviceUrl = new JMXServiceURL(url);
        } catch (MalformedURLException e) {
            throw new IOException("not a JMX service URL: " + url, e);
        }
        Map<String, Object> env = new HashMap<>();
        if (user != null && !user.isEmpty()) {
            env.put(JMXConnector.CREDENTIALS, new String[] {user, password == null ? "" : password});
        }
        if (tls) {
            env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
            // A stub from the registry must use TLS too: one that does not would send the password in clear.
            env.put(CHECK_STUB, "true");
        }
        return connect(serviceUrl, env, timeout);
    }

    /** The RMI connector's client setting that refuses a registry stub whose socket factory is not TLS. */
    public static final String CHECK_STUB = "jmx.remote.x.check.stub";

    /**
     * The JDK's own JNDI factory for the {@code rmi:} registry that a {@code /jndi/rmi://...} service URL names. A
     * container may set {@code java.naming.factory.initial} for the whole JVM (Tomcat sets its
     * {@code org.apache.naming.java.javaURLContextFactory}), which the connect thread, whose context loader is the
     * system loader, cannot load: every connect from inside Tomcat then failed with ClassNotFoundException.
     */
    static final String RMI_REGISTRY_CONTEXT_FACTORY = "com.sun.jndi.rmi.registry.RegistryContextFactory";

    /** Connects with a caller-built environment (e.g. other credential objects, in tests). */
    public static JMXConnector connect(JMXServiceURL url, Map<String, ?> env, Duration timeout) throws IOException {
        Map<String, Object> connectEnv = new HashMap<>(env);
        connectEnv.putIfAbsent(Context.INITIAL_CONTEXT_FACTORY, RMI_REGISTRY_CONTEXT_FACTORY);
        CompletableFuture<JMXConnector> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(JMXConnectorFactory.connect(url, connectEnv));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "spillway-agent-jmx-connect");
        t.setDaemon(true);
        // A connect thread outliving a webapp must not hold on to that webapp's class loader.
        t.setContextClassLoader(ClassLoader.getSystemClassLoader());
        t.start();
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // If it connects after all, close it rather than leak a connection.
            result.thenAccept(JmxClients::closeQuietly);
            t.interrupt();
            throw new IOException("JMX connect to " + url + " timed out after " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.thenAccept(JmxClients::closeQuietly);
            throw new IOException("interrupted while connecting to " + url, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("JMX connect to " + url + " failed: " + cause, cause);
        }
    }

    public static void closeQuietly(JMXConnector c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                // the peer is gone; nothing to release on our side
            }
        }
    }
}
