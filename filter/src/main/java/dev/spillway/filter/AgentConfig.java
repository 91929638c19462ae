package dev.spillway.filter;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.core.AgentSettings;
import dev.spillway.agent.embedded.EmbeddedAgent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The filter's {@code agent} setting ({@code off} or {@code embedded}) and the agent's own settings, written in the
 * filter's configuration with an {@code agent.} prefix ({@code agent.jmx.port = 9010}).
 */
final class AgentConfig {
    static final String AGENT = "agent";
    static final String PREFIX = "agent.";

    private AgentConfig() {
    }

    /** {@code agent} plus every agent key with its prefix, so a typo in an agent key is caught like any other. */
    static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        keys.add(AGENT);
        for (String k : AgentSettings.keys()) {
            keys.add(PREFIX + k);
        }
        return keys;
    }

    /**
     * Joins this JVM's embedded agent if {@code agent = embedded}; null if {@code off}.
     *
     * @throws ConfigException naming the prefixed key, on a bad agent setting or a port that cannot be bound
     */
    static AutoCloseable join(ConfigValues values, String contextPath) {
        if (values.choice(AGENT, "off", List.of("off", "embedded")).equals("off")) {
            return null;
        }
        Map<String, String> own = new HashMap<>();
        values.asMap().forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                own.put(k.substring(PREFIX.length()), v);
            }
        });
        try {
            return EmbeddedAgent.join(ConfigValues.of(own), contextPath);
        } catch (ConfigException e) {
            // The agent names its keys without the prefix; the user wrote them with it.
            throw new ConfigException(PREFIX + e.key(), e.getMessage().substring(e.key().length())
                    .replaceFirst("^: ", ""));
        }
    }
}
