package dev.spillway.agent.jmx;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where and how a {@link SecureJmxServer} listens. Read from configuration keys under a prefix (the agent uses
 * {@code jmx.}, the manager its own), validated when read: a bad value fails with the key and the expected form.
 * The keys (after the prefix) are described once, in {@link #settings}.
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

    static final Setting<String> HOST = Setting.string("host", "127.0.0.1", "address the connector binds: a literal"
            + " IP; loopback by default, so nothing off this machine can reach it; any other address needs"
            + " the password file");
    static final Setting<String> ADVERTISED_HOST = Setting.string("advertised-host", "", "host name put in the"
            + " service URL and the RMI stubs handed to clients").defaultNote("the bind address (`127.0.0.1` for `0.0.0.0`)");
    static final Setting<String> PASSWORD_FILE = Setting.string("password.file", "", "JDK `jmxremote.password`"
            + " file (`user password` per line, owner-readable only); required for a non-loopback address");
    static final Setting<String> ACCESS_FILE = Setting.string("access.file", "", "JDK `jmxremote.access` file"
            + " (`user readonly` or `user control`); goes with the password file");
    static final Setting<Boolean> TLS = Setting.bool("tls", false, "TLS on the registry and the connector");
    static final Setting<String> TLS_KEYSTORE = Setting.string("tls.keystore", "", "the server's PKCS12 or JKS"
            + " key store; required with TLS");
    static final Setting<String> TLS_KEYSTORE_PASSWORD = Setting.secret("tls.keystore-password",
            "its password (may be `env:NAME` or `file:PATH`)");
    static final Setting<String> TLS_TRUSTSTORE = Setting.string("tls.truststore", "", "trust store for client"
            + " certificates; required when clients must present one");
    static final Setting<String> TLS_TRUSTSTORE_PASSWORD = Setting.secret("tls.truststore-password",
            "its password (may be `env:NAME` or `file:PATH`)");
    static final Setting<Boolean> TLS_NEED_CLIENT_AUTH = Setting.bool("tls.need-client-auth", false,
            "clients must present a certificate the trust store accepts");

    private static Setting<Integer> port(int defaultPort) {
        return Setting.integer("port", defaultPort, 0, 65535, "RMI registry port (0 = any free port, printed at"
                + " start); the URL is `service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi`");
    }

    private static Setting<Integer> rmiPort(int port) {
        return Setting.integer("rmi-port", port, 0, 65535, "port of the RMI connector itself (what a firewall must"
                + " also let through)").defaultNote("the registry port");
    }

    /** The connector's settings under {@code prefix} (the agent's {@code jmx.}, the manager's too). */
    public static SettingList settings(String prefix, int defaultPort) {
        return SettingList.of(HOST, port(defaultPort), rmiPort(defaultPort), ADVERTISED_HOST, PASSWORD_FILE,
                ACCESS_FILE, TLS, TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD, TLS_TRUSTSTORE, TLS_TRUSTSTORE_PASSWORD,
                TLS_NEED_CLIENT_AUTH).prefixed(prefix);
    }

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

    /** The keys under {@code prefix}, for an unknown-key check. */
    public static Set<String> keys(String prefix) {
        return settings(prefix, 0).keys();
    }

    public static JmxServerSettings from(ConfigValues c, String prefix, int defaultPort) {
        InetAddress bind = literalAddress(prefix + HOST.key(), HOST.prefixed(prefix).read(c));
        int port = port(defaultPort).prefixed(prefix).read(c);
        int rmiPort = rmiPort(port).prefixed(prefix).read(c);
        String advertised = ADVERTISED_HOST.prefixed(prefix).read(c);
        if (advertised.isEmpty()) {
            advertised = bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress();
        }
        String password = PASSWORD_FILE.prefixed(prefix).read(c);
        String access = ACCESS_FILE.prefixed(prefix).read(c);
        TlsSettings tls = TlsSettings.from(c, prefix);
        return new JmxServerSettings(bind, port, rmiPort, advertised, password.isEmpty() ? null : Path.of(password),
                access.isEmpty() ? null : Path.of(access), tls, prefix);
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
