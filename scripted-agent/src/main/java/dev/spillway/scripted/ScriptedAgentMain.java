package dev.spillway.scripted;

import dev.spillway.settings.ConfigException;
import dev.spillway.agent.core.AgentExtras;
import dev.spillway.agent.standalone.AgentMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -cp spillway-agent.jar:spillway-scripted-agent.jar dev.spillway.scripted.ScriptedAgentMain
 * --script FILE [agent options]}: a real agent that reports the figures of a load script (see {@link LoadScript})
 * instead of measured ones, for tests and demos. Every other option is the agent's ({@code --help}). Not shipped
 * in the agent or filter JAR.
 */
public final class ScriptedAgentMain {
    private ScriptedAgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> agentArgs = new ArrayList<>();
        String script = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--script=")) {
                script = args[i].substring("--script=".length());
            } else if (args[i].equals("--script") && i + 1 < args.length) {
                script = args[++i];
            } else {
                agentArgs.add(args[i]);
            }
        }
        if (agentArgs.contains("--help") || agentArgs.contains("-h")) {
            System.out.println("Scripted Spillway agent: --script FILE  report the figures of this load script"
                    + " instead of measured ones (see conf/load.script.example); every other option as below.\n");
            AgentMain.run(new String[] {"--help"}, AgentExtras.NONE);
            return;
        }
        ScriptedExtras extras;
        try {
            if (script == null) {
                throw new ConfigException("--script", null, "a load script file, e.g. --script load.script");
            }
            extras = new ScriptedExtras(Path.of(script), "--script");
        } catch (ConfigException e) {
            System.err.println("spillway-agent: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        AgentMain.run(agentArgs.toArray(new String[0]), extras);
    }
}
