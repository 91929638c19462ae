package dev.spillway.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a secret setting (a password or token) so that it never has to be on a command line, where
 * {@code ps}, {@code /proc/PID/cmdline} and the JVM's {@code sun.java.command} property show it:
 * {@code env:NAME} takes it from environment variable NAME, {@code file:PATH} from the file (without its trailing
 * line break), anything else is the secret itself. Errors name the key and the source, never the secret.
 */
public final class Secrets {
    private Secrets() {
    }

    /** @return the secret, or {@code def} when the key is not set */
    public static String read(ConfigValues c, String key, String def) {
        if (!c.has(key)) {
            return def;
        }
        String v = c.string(key, def);
        if (v.startsWith("env:")) {
            String name = v.substring(4);
            String value = System.getenv(name);
            if (value == null || value.isEmpty()) {
                throw new ConfigException(key, v, "an environment variable that is set (env:NAME)");
            }
            return value;
        }
        if (v.startsWith("file:")) {
            Path file = Path.of(v.substring(5));
            try {
                String value = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\R+$", "");
                if (value.isEmpty()) {
                    throw new ConfigException(key, v, "a file holding the secret (file:PATH); it is empty");
                }
                return value;
            } catch (IOException e) {
                throw new ConfigException(key, v, "a readable file holding the secret (file:PATH)");
            }
        }
        return v;
    }
}
