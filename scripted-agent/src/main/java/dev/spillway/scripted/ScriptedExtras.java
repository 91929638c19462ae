package dev.spillway.scripted;

import dev.spillway.settings.ConfigException;
import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.core.AgentExtras;
import dev.spillway.agent.sampling.LoadSource;
import java.nio.file.Path;
import java.util.Map;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Makes a real agent a scripted one: it reports a {@link LoadScript}'s figures over the measured ones and serves a
 * {@link ScriptedFilter} ({@code dev.spillway:type=Filter,context=/scripted}) that takes directives with a lease, so
 * the agent relays and reports directives like one in front of a real webapp.
 */
public final class ScriptedExtras implements AgentExtras {
    private final Path file;
    private final LoadScript script;

    /**
     * Reads the script now, before the agent binds anything, so a bad script stops start cleanly.
     *
     * @throws ConfigException naming {@code key} and the line that cannot be used
     */
    public ScriptedExtras(Path file, String key) {
        this.file = file;
        this.script = LoadScript.load(file, key);
    }

    @Override
    public LoadSource load(LoadSource measured) {
        return new ScriptedLoad(measured, script, System::currentTimeMillis);
    }

    @Override
    public Map<ObjectName, Object> mbeans() {
        return Map.of(ObjectNames.filter("/scripted"),
                new StandardMBean(new ScriptedFilter(System::nanoTime), FilterMXBean.class, true));
    }

    @Override
    public String toString() {
        return "load script " + file;
    }
}
