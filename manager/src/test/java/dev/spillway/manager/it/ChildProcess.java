package dev.spillway.manager.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM on this JVM's java and test class path: waits for a line that says it is up (when given one), keeps its output drained
 * (echoed with a prefix, so a failing run shows what each process said), and can be signalled like a real process.
 */
final class ChildProcess implements AutoCloseable {
    final String name;
    final String readyLine;
    private final Process process;

    private ChildProcess(String name, String readyLine, Process process) {
        this.name = name;
        this.readyLine = readyLine;
        this.process = process;
    }

    static ChildProcess start(String name, String mainClass, List<String> args, Predicate<String> ready)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dzookeeper.admin.enableServer=false", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = "";
        if (ready != null) {
            while ((line = out.readLine()) != null && !ready.test(line)) {
                System.out.println("[" + name + "] " + line);
            }
            if (line == null) {
                throw new IllegalStateException(name + " exited before it was ready: " + p.waitFor());
            }
            System.out.println("[" + name + "] " + line);
        }
        Thread drain = new Thread(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    System.out.println("[" + name + "] " + l);
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "drain-" + name);
        drain.setDaemon(true);
        drain.start();
        return new ChildProcess(name, line, p);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    void signal(String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws Exception {
        signal("KILL");
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            signal("CONT");
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
