package dev.spillway.agent.jmx;

import dev.spillway.settings.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;

/**
 * Checks {@code String[] {user, password}} against a password file and gives the user the role of the access file.
 * Both files use the JDK's {@code jmxremote.password} / {@code jmxremote.access} line formats ({@code user password};
 * {@code user readonly|readwrite|control}), so existing files can be reused. Plain-text passwords, so the password
 * file must be readable by its owner only, as the JDK agent demands.
 */
final class PasswordFileAuthenticator implements JMXAuthenticator {
    private final Map<String, byte[]> passwords;
    private final Map<String, JmxRole> roles;

    private PasswordFileAuthenticator(Map<String, byte[]> passwords, Map<String, JmxRole> roles) {
        this.passwords = passwords;
        this.roles = roles;
    }

    /** The prefix of the passwords in {@code conf/jmxremote.password.example}, which everyone can read. */
    static final String EXAMPLE_PASSWORD_PREFIX = "change-me";

    /**
     * @param keyPrefix the configuration prefix ({@code jmx.}) that errors name their key with
     * @param loopbackOnly whether the connector is reachable from this machine only; the example passwords are
     *                     accepted there (the demo runs on them) and refused on any other address
     */
    static PasswordFileAuthenticator load(Path passwordFile, Path accessFile, String keyPrefix, boolean loopbackOnly) {
        requireOwnerOnly(passwordFile, keyPrefix + "password.file");
        Map<String, byte[]> passwords = new HashMap<>();
        for (String[] e : entries(passwordFile, keyPrefix + "password.file", "lines of 'user password'")) {
            if (!loopbackOnly && e[1].startsWith(EXAMPLE_PASSWORD_PREFIX)) {
                throw new ConfigException(keyPrefix + "password.file", passwordFile + ": user '" + e[0]
                        + "' has an example password (" + EXAMPLE_PASSWORD_PREFIX + "...); set one of your own: the"
                        + " examples are accepted only on a loopback connector");
            }
            passwords.put(e[0], e[1].getBytes(StandardCharsets.UTF_8));
        }
        Map<String, JmxRole> roles = new HashMap<>();
        String accessKey = keyPrefix + "access.file";
        for (String[] e : entries(accessFile, accessKey, "lines of 'user readonly' or 'user control'")) {
            JmxRole role = JmxRole.parse(e[1]);
            if (role == null) {
                throw new ConfigException(accessKey, e[0] + " " + e[1],
                        "a role of readonly, control or readwrite in " + accessFile);
            }
            roles.put(e[0], role);
        }
        return new PasswordFileAuthenticator(passwords, roles);
    }

    @Override
    public Subject authenticate(Object credentials) {
        // The connector's credentials filter already refused anything but a String array; this is the second fence.
        if (!(credentials instanceof String[] c) || c.length != 2 || c[0] == null || c[1] == null) {
            throw new SecurityException("credentials must be a String[] {user, password}");
        }
        byte[] expected = passwords.get(c[0]);
        byte[] given = c[1].getBytes(StandardCharsets.UTF_8);
        // Same answer for an unknown user and a wrong password: do not tell which user names exist.
        if (expected == null || !MessageDigest.isEqual(expected, given)) {
            throw new SecurityException("authentication failed");
        }
        JmxRole role = roles.get(c[0]);
        if (role == null) {
            throw new SecurityException("authentication failed: user has no role in the access file");
        }
        return new Subject(true, Set.of(new JMXPrincipal(c[0]), new RolePrincipal(role)), Set.of(), Set.of());
    }

    private static List<String[]> entries(Path file, String key, String expected) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(key, file.toString(), "a readable file of " + expected);
        }
        List<String[]> out = new java.util.ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length != 2) {
                throw new ConfigException(key, file + ": a line with a user and no second field",
                        expected);
            }
            parts[1] = parts[1].strip();
            out.add(parts);
        }
        return out;
    }

    private static void requireOwnerOnly(Path file, String key) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new ConfigException(key, file.toString(),
                            "a file readable by its owner only (chmod 600): it holds passwords in plain text");
                }
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): ACLs are the operator's job there.
        } catch (IOException e) {
            throw new ConfigException(key, file.toString(), "a readable file of 'user password' lines");
        }
    }
}
