package dev.spillway.manager.poll;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one form of agent address a registration may name: an RMI registry URL,
 * {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/NAME}. Anything else — a serialized {@code /stub/}, a JNDI scheme
 * other than {@code rmi} ({@code ldap}, {@code dns}, ...), a path, a query, user info — is refused before the manager
 * opens a connection, so a registration cannot make the manager deserialize a caller's stub or talk LDAP.
 */
public record AgentEndpoint(String host, int port, String name) {
    private static final Pattern FORM = Pattern.compile(
            "service:jmx:rmi:///jndi/rmi://(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?)"
                    + ":([0-9]{1,5})/([A-Za-z0-9._-]{1,64})");

    /** @throws IllegalArgumentException naming the expected form */
    public static AgentEndpoint parse(String url) {
        Matcher m = url == null ? null : FORM.matcher(url);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("agent JMX URL is not allowed; expected exactly "
                    + "service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi (an RMI registry; no /stub/, no other JNDI"
                    + " scheme)");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("agent JMX URL names port " + port
                    + "; expected service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi with a PORT of 1-65535");
        }
        String host = m.group(1);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new AgentEndpoint(host.toLowerCase(Locale.ROOT), port, m.group(3));
    }
}
