package dev.spillway.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's JMX users: {@code conf/jmxremote.password.example} and {@code conf/jmxremote.access}, copied as they
 * are into the run directory readable by their owner only (the connectors refuse a password file others can read).
 * Every agent and the manager require them; the manager and the agents use "operator" (control), the demo's own
 * probes and JConsole "monitor" (readonly).
 */
public record JmxUsers(Path passwordFile, Path accessFile, Map<String, String> passwords) {
    public static final String READER = "monitor";
    public static final String CONTROLLER = "operator";

    static JmxUsers install(Path runDir) throws IOException {
        String passwords = Cluster.resource("jmxremote.password.example");
        Path passwordFile = runDir.resolve("jmxremote.password");
        Path accessFile = runDir.resolve("jmxremote.access");
        writeOwnerOnly(passwordFile, passwords);
        writeOwnerOnly(accessFile, Cluster.resource("jmxremote.access"));
        Map<String, String> byUser = new LinkedHashMap<>();
        for (String line : passwords.split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 2 && !words[0].startsWith("#")) {
                byUser.put(words[0], words[1]);
            }
        }
        for (String user : new String[] {READER, CONTROLLER}) {
            if (!byUser.containsKey(user)) {
                throw new IOException("conf/jmxremote.password.example has no user " + user + ": the demo needs "
                        + READER + " (readonly) and " + CONTROLLER + " (control)");
            }
        }
        return new JmxUsers(passwordFile, accessFile, Map.copyOf(byUser));
    }

    /** {user, password}, as {@code JMXConnector.CREDENTIALS} wants them. */
    public String[] credentials(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no JMX user " + user + " in " + passwordFile);
        }
        return new String[] {user, password};
    }

    /** Writes a file only its owner can read: it holds passwords. */
    static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }
}
