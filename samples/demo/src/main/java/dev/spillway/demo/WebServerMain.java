package dev.spillway.demo;

import dev.spillway.demo.watch.ParentWatch;
import dev.spillway.settings.CommandLine;
import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import dev.spillway.settings.SettingsText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One demo web server in its own JVM: a plain embedded Jetty 12 (ee10) deploying the sample WAR, unchanged, in a
 * {@link WebAppContext} as a Jetty distribution would. The filter and its embedded agent come from the WAR's
 * {@code WEB-INF/lib}; what differs per server comes from {@code -Dspillway.config} and {@code -Dspillway.host}.
 *
 * <pre>java -Dspillway.host=a -Dspillway.config=a.properties -cp spillway-demo.jar dev.spillway.demo.WebServerMain
 *      --war spillway-sample.war --port 8081 --context /shop --threads 8</pre>
 *
 * Prints {@code READY <port>} once the webapp is up (or {@code FAILED <reason>} and exits 1, 2 for a bad argument),
 * and exits when its standard input ends, so it never outlives the demo that started it.
 */
public final class WebServerMain {
    private WebServerMain() {
    }

    static final Setting<String> WAR = Setting.string("war", "", "the sample WAR to deploy (required)");
    static final Setting<Integer> PORT = Setting.integer("port", 0, 0, 65535, "HTTP port on 127.0.0.1 (0 = any free"
            + " port, printed in the READY line)");
    static final Setting<String> CONTEXT = Setting.string("context", "/shop", "the webapp's context path");
    static final Setting<Integer> THREADS = Setting.integer("threads", 8, 1, 10_000, "worker threads");
    static final SettingList SETTINGS = SettingList.of(WAR, PORT, CONTEXT, THREADS);

    /** What a launcher was asked for. */
    record Args(Path war, int port, String context, int threads) {
    }

    /**
     * Parses the command line shared by this launcher and {@link TomcatServerMain}: null after printing the usage
     * ({@code --help}); exits with a FAILED line (2 for a bad argument, 1 for a missing WAR).
     */
    static Args parse(String launcher, String[] args) {
        try {
            CommandLine.Parsed parsed = new CommandLine(Map.of(), SETTINGS.keys()).parse(args);
            if (parsed.help()) {
                System.out.println("Usage: " + launcher + " --war FILE [--port N] [--context /path] [--threads N]\n\n"
                        + SettingsText.help(SETTINGS));
                return null;
            }
            ConfigValues c = parsed.values();
            Args a = new Args(Path.of(WAR.read(c)), PORT.read(c), CONTEXT.read(c), THREADS.read(c));
            if (!Files.isRegularFile(a.war())) {
                System.out.println("FAILED no WAR at '" + a.war() + "' (--war)");
                System.exit(1);
            }
            return a;
        } catch (ConfigException e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(2);
            return null;
        }
    }

    /** Prints {@code FAILED <the cause chain>} and halts with status 1. */
    static void failed(Exception e) {
        StringBuilder why = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            why.append(why.length() == 0 ? "" : " <- ").append(t);
        }
        System.out.println("FAILED " + why.toString().replace('\n', ' '));
        System.out.flush();
        Runtime.getRuntime().halt(1);
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.start();
        Args a = parse("WebServerMain", args);
        if (a == null) {
            return;
        }
        Path war = a.war();
        int port = a.port();
        String context = a.context();
        int threads = a.threads();
        // Worker threads plus one acceptor and one selector: a small pool, so a busy server queues visibly.
        QueuedThreadPool pool = new QueuedThreadPool(threads + 2, 2);
        pool.setReservedThreads(0);
        pool.setName("jetty-" + System.getProperty("spillway.host", "web"));
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath(context);
        webapp.setWar(war.toAbsolutePath().toString());
        webapp.setTempDirectory(Files.createTempDirectory("spillway-demo-jetty").toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(ArrivalLog.around(webapp, System.getProperty("spillway.host", "web")));
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception e) {
            failed(e);
        }
        System.out.println("READY " + connector.getLocalPort());
        System.out.flush();
        server.join();
    }
}
