package dev.spillway.agent.sampling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a JVM's own machinery has used: its JIT compiler threads and garbage-collector threads (and the VM
 * thread, where a one-CPU JVM's serial collector runs), read per thread from Linux's {@code /proc/PID/task/TID/stat}.
 * A fresh JVM under a small CPU quota spends much of the quota compiling; that CPU says nothing about what its pages
 * cost. CPU time, not the Compilation MXBean's elapsed time: under a quota a compiler thread waits throttled for most
 * of its elapsed time, which would count several times over.
 */
final class RuntimeThreads {
    /** Thread names as the kernel keeps them (15 characters at most). */
    private static final String[] PREFIXES = {"C1 CompilerThre", "C2 CompilerThre", "Sweeper thread", "GC Thread#",
        "G1 ", "VM Thread"};
    /** utime and stime are in clock ticks of USER_HZ, 100 on every Linux the JDK runs on. */
    static final double TICKS_PER_SECOND = 100;

    private final Path proc;

    /** @param proc the proc file system, {@code /proc} (tests hand in a directory of their own) */
    RuntimeThreads(Path proc) {
        this.proc = proc;
    }

    /**
     * Adds every JIT and GC thread of process {@code pid} to {@code ticks}, keyed by thread, with its user + system
     * CPU ticks so far. A thread that ended is simply not added (its last interval is lost; they are few).
     *
     * @return false when the process's threads cannot be read (not Linux, the process is gone)
     */
    boolean addTo(CounterRates ticks, long pid) {
        Path tasks = proc.resolve(Long.toString(pid)).resolve("task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                long used = runtimeTicks(task.resolve("stat"));
                if (used >= 0) {
                    ticks.add(pid + "/" + task.getFileName(), used);
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The thread's utime + stime when it is a JIT or GC thread, else -1 (also when it ended meanwhile). */
    static long runtimeTicks(Path stat) {
        String line;
        try {
            line = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return -1;
        }
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            return -1;
        }
        String name = line.substring(open + 1, close);
        if (!isRuntime(name)) {
            return -1;
        }
        // after "(name) ": state is field 3 of stat(5), utime field 14, stime field 15
        String[] f = line.substring(close + 2).trim().split(" ");
        if (f.length < 13) {
            return -1;
        }
        try {
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean isRuntime(String threadName) {
        for (String p : PREFIXES) {
            if (threadName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
