package dev.spillway.agent.jmx;

import dev.spillway.agent.config.ConfigException;
import dev.spillway.agent.config.ConfigValues;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where and how a {@link SecureJmxServer} listens. Read from configuration keys under a prefix (the agent uses
 * {@code jmx.}, the manager its own), validated when read: a bad value fails with the key and the expected form.
 *
 * <p>Keys (after the prefix): {@code host} (127.0.0.1), {@code port} (default given by the caller; 0 = any free
 * port), {@code rmi-port} (same as port), {@code advertised-host} (same as host), {@code password.file},
 * {@code access.file}, {@code tls} (false), {@code tls.keystore}, {@code tls.keystore-password},
 * {@code tls.truststore}, {@code tls.truststore-password}, {@code tls.need-client-auth} (false).
 */
public record JmxServerSettings(
        InetAddress bindAddress,
        int port,
        int rmiPort,
        String advertisedHost,
        Path passwordFile,
        Path accessFile,
        TlsSettings tls,
        String keyPrefix) {

    /** Key suffixes understood by {@link #from}; prepend the prefix for an unknown-key check. */
    public static final Set<String> KEY_SUFFIXES = Set.of("host", "port", "rmi-port", "advertised-host",
            "password.file", "access.file", "tls", "tls.keystore", "tls.keystore-password", "tls.truststore",
            "tls.truststore-password", "tls.need-client-auth");

    public JmxServerSettings {
        if (passwordFile == null && !bindAddress.isLoopbackAddress()) {
            // An unauthenticated connector gives control of the filters to anyone who can reach it.
            throw new ConfigException(keyPrefix + "password.file", "is required when the JMX connector binds a"
                    + " non-loopback address (" + bindAddress.getHostAddress() + ")");
        }
        if ((passwordFile == null) != (accessFile == null)) {
            throw new ConfigException(keyPrefix + (passwordFile == null ? "password.file" : "access.file"),
                    keyPrefix + "password.file and " + keyPrefix + "access.file go together (the access file gives"
                    + " each user a role)");
        }
    }

    /** Loopback, no authentication, no TLS, the given port (0 = any free port); handy for tests. */
    public static JmxServerSettings loopback(int port) {
        return new JmxServerSettings(InetAddress.getLoopbackAddress(), port, port,
                InetAddress.getLoopbackAddress().getHostAddress(), null, null, TlsSettings.OFF, "jmx.");
    }

    public static Set<String> keys(String prefix) {
        Set<String> keys = new LinkedHashSet<>();
        for (String s : KEY_SUFFIXES) {
            keys.add(prefix + s);
        }
        return keys;
    }

    public static JmxServerSettings from(ConfigValues c, String prefix, int defaultPort) {
        String hostKey = prefix + "host";
        String host = c.string(hostKey, "127.0.0.1");
        InetAddress bind = literalAddress(hostKey, host);
        int port = (int) c.integer(prefix + "port", defaultPort, 0, 65535);
        int rmiPort = (int) c.integer(prefix + "rmi-port", port, 0, 65535);
        String advertised = c.string(prefix + "advertised-host",
                bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress());
        Path password = c.has(prefix + "password.file") ? Path.of(c.string(prefix + "password.file", "")) : null;
        Path access = c.has(prefix + "access.file") ? Path.of(c.string(prefix + "access.file", "")) : null;
        TlsSettings tls = TlsSettings.from(c, prefix);
        return new JmxServerSettings(bind, port, rmiPort, advertised, password, access, tls, prefix);
    }

    /** The same settings with authentication from these files (JDK jmxremote.password / .access formats). */
    public JmxServerSettings withPasswordFiles(Path passwords, Path access) {
        return new JmxServerSettings(bindAddress, port, rmiPort, advertisedHost, passwords, access, tls, keyPrefix);
    }

    /** The same settings with TLS. */
    public JmxServerSettings withTls(TlsSettings tls) {
        return new JmxServerSettings(bindAddress, port, rmiPort, advertisedHost, passwordFile, accessFile, tls,
                keyPrefix);
    }

    public boolean authenticates() {
        return passwordFile != null;
    }

    // Only literal addresses: binding must never depend on what a name resolves to today.
    private static InetAddress literalAddress(String key, String host) {
        boolean literal = host.indexOf(':') >= 0 || host.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch));
        if (literal) {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                // falls through
            }
        }
        if (host.equals("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        throw new ConfigException(key, host, "a literal IP address such as 127.0.0.1, 0.0.0.0 or ::1");
    }
}
