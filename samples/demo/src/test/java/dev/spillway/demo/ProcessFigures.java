package dev.spillway.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What a process holds: its threads and open file descriptors (from {@code /proc}, so sockets count too) and its
 * heap right after a full collection (requested with {@code jcmd GC.run}, read over the server's agent connector
 * as the readonly user, which may read {@code java.lang:type=Memory}).
 */
record ProcessFigures(long threads, long fds, long heapAfterGcBytes) {

    static ProcessFigures of(long pid, String agentJmxUrl, String[] readerCredentials) throws Exception {
        long threads = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.substring(8).trim()))
                .findFirst().orElseThrow();
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = s.count();
        }
        return new ProcessFigures(threads, fds, heapAfterGc(pid, agentJmxUrl, readerCredentials));
    }

    private static long heapAfterGc(long pid, String agentJmxUrl, String[] credentials) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), "GC.run"))
                .redirectErrorStream(true).start();
        String out = new String(gc.getInputStream().readAllBytes());
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " GC.run failed: " + out);
        }
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(agentJmxUrl),
                Map.of(JMXConnector.CREDENTIALS, credentials))) {
            CompositeData heap = (CompositeData) c.getMBeanServerConnection()
                    .getAttribute(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage");
            return (Long) heap.get("used");
        }
    }

    /**
     * The rule for "does not grow without bound", generous because a busy machine and the JIT move the figures:
     * threads at most twice the start plus 50, descriptors twice plus 100, heap after GC twice plus 64 MB.
     */
    String excessOver(ProcessFigures start) {
        StringBuilder why = new StringBuilder();
        if (threads > 2 * start.threads + 50) {
            why.append(" threads ").append(start.threads).append(" -> ").append(threads);
        }
        if (fds > 2 * start.fds + 100) {
            why.append(" fds ").append(start.fds).append(" -> ").append(fds);
        }
        if (heapAfterGcBytes > 2 * start.heapAfterGcBytes + (64L << 20)) {
            why.append(" heap ").append(start.heapAfterGcBytes >> 20).append(" MB -> ")
                    .append(heapAfterGcBytes >> 20).append(" MB");
        }
        return why.toString();
    }

    @Override
    public String toString() {
        return threads + " threads, " + fds + " fds, " + (heapAfterGcBytes >> 20) + " MB heap after GC";
    }
}
