package dev.spillway.agent.standalone;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.CommandLine;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.SettingsText;
import dev.spillway.agent.core.Agent;
import dev.spillway.agent.core.AgentExtras;
import dev.spillway.agent.core.AgentSettings;
import dev.spillway.agent.sampling.JvmConnection;
import dev.spillway.agent.sampling.LocalJvm;
import dev.spillway.agent.sampling.RemoteJvm;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar spillway-agent.jar --config FILE [--KEY=VALUE ...]} (see {@link CommandLine}): one agent per host, watching container JVMs
 * by JMX URL ({@code watch}). Exit status 2 on bad configuration.
 */
public final class AgentMain {
    private static final Map<String, String> ALIASES = Map.of("port", "jmx.port", "host", "jmx.host",
            "id", "host.id", "zone", "host.zone", "manager", "manager.url", "watch", "watch",
            "interval", "sample.interval", "web-base-url", "host.web-base-url");

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        run(args, AgentExtras.NONE);
    }

    /** Runs an agent from the command line with {@code extras} (the scripted agent of the tests adds its own). */
    public static void run(String[] args, AgentExtras extras) throws InterruptedException {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT %4$s %3$s: %5$s%6$s%n");
        }
        Agent agent;
        try {
            ConfigValues config = parse(args);
            if (config == null) {
                usage(System.out);
                return;
            }
            agent = start(config, extras);
        } catch (ConfigException e) {
            System.err.println("spillway-agent: configuration error: " + e.getMessage());
            System.err.println("(run with --help for the options)");
            System.exit(2);
            return;
        } catch (Exception e) {
            System.err.println("spillway-agent: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "spillway-agent-shutdown"));
        // Printed on stdout as one line so scripts and tests that start the agent can read where it listens.
        System.out.println("spillway-agent started " + agent.settings().hostId() + " " + agent.serviceUrl());
        System.out.flush();
        stopped.await();
    }

    static Agent start(ConfigValues config, AgentExtras extras) throws Exception {
        AgentSettings s = AgentSettings.from(config);
        // A call to a container JVM that hangs (stop-the-world, swapped out) would otherwise block the sampling thread
        // for good: RMI waits for answers forever by default. Read once, when RMI is first used, so set it first.
        if (System.getProperty("sun.rmi.transport.tcp.responseTimeout") == null) {
            System.setProperty("sun.rmi.transport.tcp.responseTimeout",
                    String.valueOf(2 * s.connectTimeout().toMillis()));
        }
        List<JvmConnection> jvms = new ArrayList<>();
        if (s.watch().isEmpty() || extras != AgentExtras.NONE) { // extras' MBeans live in this JVM: watch it too
            jvms.add(new LocalJvm(ManagementFactory.getPlatformMBeanServer()));
        }
        for (String url : s.watch()) {
            jvms.add(new RemoteJvm(url, s.watchUser(), s.watchPassword(), s.watchTls(), s.connectTimeout()));
        }
        return Agent.start(s, ManagementFactory.getPlatformMBeanServer(), jvms, extras);
    }

    /** The file's keys overridden by the flags; null when help was asked for. */
    static ConfigValues parse(String[] args) {
        CommandLine.Parsed parsed = new CommandLine(ALIASES, AgentSettings.keys()).parse(args);
        return parsed.help() ? null : parsed.values();
    }

    static void usage(PrintStream out) {
        out.println("""
                Usage: java -jar spillway-agent.jar [--config FILE] [--KEY=VALUE | --KEY VALUE]...

                Runs one Spillway agent: samples this host's CPU and memory, reads the Spillway filters (and the
                Jetty/Tomcat thread pools and sessions) of the container JVMs it watches, probes a health URL, and
                serves it all as dev.spillway:type=Agent on a JMX connector (loopback, port 9010 by default).

                  --config FILE        properties file with the keys below (conf/agent.properties is an example)
                  --KEY VALUE          any key below, overriding the file, e.g. --jmx.port 9010 --watch URL
                  --port N             short for --jmx.port      --host ADDR   short for --jmx.host
                  --id NAME            short for --host.id       --zone NAME   short for --host.zone
                  --manager URL        short for --manager.url
                  --web-base-url URL   short for --host.web-base-url
                  --interval DURATION  short for --sample.interval (e.g. 1s)
                  --help               this text

                Exit status: 0 stopped, 1 could not start (e.g. port taken), 2 bad configuration.

                Settings (durations need a unit: ms, s, m, h), each with its default:
                """);
        out.print(SettingsText.help(AgentSettings.SETTINGS));
    }
}
