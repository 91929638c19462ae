package dev.spillway.manager;

import dev.spillway.settings.CommandLine;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.SettingsText;
import dev.spillway.manager.coordination.CoordinationSettings;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar spillway-manager.jar --config FILE [--key=value ...]}: flags override keys of the file.
 * Exit codes: 0 after {@code --help}, 2 for bad configuration or arguments, 1 when something cannot be started.
 * Once running it stops on SIGTERM/SIGINT through a shutdown hook (cycle first, so no directive is sent after).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // One line per record (JUL's default takes two); set before the first logger exists, unless the user did.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
        // Every thread the manager starts is a daemon (so a manager embedded in tests never holds its JVM), so this
        // thread keeps the process alive until SIGTERM/SIGINT runs the shutdown hook; before, the process exited
        // (status 0) as soon as it had started.
        new CountDownLatch(1).await();
    }

    /** @return an exit code, or -1 when the manager is running (and stops on JVM shutdown) */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        ManagerConfig config;
        CoordinationSettings coordination;
        try {
            ConfigValues values = parse(args, out);
            if (values == null) {
                return 0;
            }
            config = ManagerConfig.from(values);
            coordination = CoordinationSettings.from(values);
        } catch (IllegalArgumentException e) {   // ConfigException, or a value the policy refused
            err.println("spillway-manager: " + e.getMessage());
            err.println("Run with --help for the settings.");
            return 2;
        }
        installSerialFilter();
        // A hung agent must not hold a poll thread forever: RMI gives up on a call after this long.
        System.setProperty("sun.rmi.transport.tcp.responseTimeout", String.valueOf(config.intervalMillis() * 10));
        Manager m;
        try {
            m = Manager.start(config, ManagementFactory.getPlatformMBeanServer(), coordination);
        } catch (Exception e) {
            err.println("spillway-manager: cannot start: " + describe(e, config));
            return 1;
        }
        out.println("spillway-manager: dashboard " + m.httpUrl() + "/ , registrations at " + m.jmxUrl()
                + ", polling " + m.table().size() + " configured host(s) every " + config.intervalMillis() + " ms"
                + (coordination.enabled() ? ", electing a leader of cluster " + coordination.cluster() + " on "
                + coordination.connect() : ""));
        Runtime.getRuntime().addShutdownHook(new Thread(m::close, "spillway-shutdown"));
        return -1;
    }

    /**
     * The manager deserializes what agents' RMI endpoints send back (registry stubs, load snapshots), and a
     * registration can name any endpoint. A process-wide JEP 290 filter admits only the JDK's JMX/RMI types and ours,
     * unless the operator set {@code jdk.serialFilter} already.
     */
    static final String SERIAL_FILTER = "maxdepth=30;maxrefs=10000;maxbytes=10000000;"
            + "java.lang.*;java.lang.reflect.Proxy;java.util.*;java.net.*;java.rmi.**;javax.management.**;"
            + "javax.rmi.ssl.*;sun.rmi.**;com.sun.jmx.**;com.sun.management.*;java.io.IOException;"
            + "java.io.InvalidObjectException;java.io.InterruptedIOException;java.io.EOFException;dev.spillway.**;!*";

    private static void installSerialFilter() {
        if (System.getProperty("jdk.serialFilter") == null && java.io.ObjectInputFilter.Config.getSerialFilter() == null) {
            java.io.ObjectInputFilter.Config.setSerialFilter(java.io.ObjectInputFilter.Config.createFilter(SERIAL_FILTER));
        }
    }

    private static String describe(Exception e, ManagerConfig c) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof BindException) {
                return "an address is in use or not local (http " + c.httpHost() + ":" + c.httpPort() + ", jmx "
                        + c.jmxHost() + ":" + c.jmxPort() + "): " + t.getMessage()
                        + "; set http.port / jmx.port to free ports";
            }
            t = t.getCause();
        }
        return e.toString();
    }

    /** Parses the arguments; null when only help was asked for (and printed). */
    static ConfigValues parse(String[] args, PrintStream out) {
        // No key check here: ManagerConfig knows the host.<id>.* keys and names settings that were removed.
        CommandLine.Parsed parsed = new CommandLine(Map.of(), null).parse(args);
        if (parsed.help()) {
            help(out);
            return null;
        }
        return parsed.values();
    }

    private static void help(PrintStream out) {
        out.println("Usage: java -jar spillway-manager.jar [--config FILE] [--KEY=VALUE | --KEY VALUE]...");
        out.println("Polls every host's Spillway agent, decides who offloads to whom, serves a dashboard.");
        out.println("Settings (file keys; a flag overrides the file; durations need a unit: ms, s, m, h), each with");
        out.println("its default; host.<id>.* keys are needed for each id listed in hosts:");
        out.println();
        out.print(SettingsText.help(ManagerConfig.SETTINGS));
    }
}
