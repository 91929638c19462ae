package dev.spillway.demo.watch;

import java.io.IOException;
import java.io.InputStream;

/**
 * Makes a child JVM die with the process that started it: a daemon thread reads the child's standard input, which
 * the parent holds open as a pipe and never writes to; end of input means the parent is gone (stopped, killed with
 * SIGKILL, crashed), and this JVM exits. Used as {@code -javaagent} on the manager, whose own jar runs unchanged,
 * and called directly by {@code WebServerMain}. JDK only, so its jar holds nothing else.
 */
public final class ParentWatch {
    private ParentWatch() {
    }

    /** Java agent entry point: {@code java -javaagent:spillway-demo-...-parent-watch.jar -jar other.jar}. */
    public static void premain(String args) {
        start();
    }

    /** Starts watching standard input; at its end, exits (shutdown hooks run; halts if they take over 10 s). */
    public static void start() {
        Thread t = new Thread(ParentWatch::watch, "parent-watch");
        t.setDaemon(true);
        t.start();
    }

    private static void watch() {
        InputStream in = System.in;
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException e) {
            // a broken pipe is the same news as end of input
        }
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watch-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(3);
    }
}
