package dev.spillway.filter;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
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

    static final Setting<String> AGENT_SETTING = Setting.choice(AGENT, "off", List.of("off", "embedded"),
            "`embedded`: run this JVM's agent in the container (see [The agent](#the-agent))");
    /** The agent's own settings, each under the prefix; one README row stands for them all. */
    static final SettingList AGENT_KEYS = AgentSettings.SETTINGS.prefixed(PREFIX);

    /** The rows of the filter's README table: {@code agent}, and one row for the prefixed agent keys. */
    static final SettingList SETTINGS = SettingList.of(AGENT_SETTING, Setting.documentedOnly(PREFIX + "<key>",
            "as in `conf/agent.properties`", "the embedded agent's settings, e.g. `agent.host.id`, `agent.jmx.port`,"
            + " `agent.manager.url`"));

    /** {@code agent} plus every agent key with its prefix, so a typo in an agent key is caught like any other. */
    static Set<String> keys() {
        Set<String> keys = new TreeSet<>(SETTINGS.keys());
        keys.addAll(AGENT_KEYS.keys());
        return keys;
    }

    /**
     * Joins this JVM's embedded agent if {@code agent = embedded}; null if {@code off}.
     *
     * @throws ConfigException naming the prefixed key, on a bad agent setting or a port that cannot be bound
     */
    static AutoCloseable join(ConfigValues values, String contextPath) {
        if (AGENT_SETTING.read(values).equals("off")) {
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
            throw e.prefixed(PREFIX); // the agent names its keys without the prefix; the user wrote them with it
        }
    }
}
