package dev.spillway.agent.core;

import dev.spillway.settings.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code manager.url} setting read as a list: one JMX service URL, or several separated by commas when managers
 * take turns leading (ZooKeeper). The agent registers with every one of them, so whichever leads next already has
 * this host in its table.
 */
final class ManagerUrls {
    private ManagerUrls() {
    }

    /** The URLs in order, without blanks or repeats; empty for an empty value. */
    static List<String> parse(String value) {
        List<String> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String part : value.split(",")) {
            String url = part.trim();
            if (!url.startsWith("service:jmx:")) {
                throw new ConfigException("manager.url", value, "one JMX service URL such as "
                        + "service:jmx:rmi:///jndi/rmi://127.0.0.1:9020/jmxrmi, or several separated by commas"
                        + " (one per manager); '" + url + "' is not one");
            }
            if (!out.contains(url)) {
                out.add(url);
            }
        }
        return out;
    }
}
