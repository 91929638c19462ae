package dev.spillway.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * For reports: what a process's file descriptors are, and for its TCP sockets on loopback, which port the other end
 * (or, for a listener's accepted connection, this end) uses and in what state. Read from {@code /proc}, so it needs
 * no tool; the ports name the servers and connectors of the run.
 */
final class OpenSockets {
    private static final String[] STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

    private OpenSockets() {
    }

    /** E.g. "{anon=12, file=40, pipe=6, socket=120}; tcp {ESTABLISHED local 40461=50, ESTABLISHED remote 33941=3}". */
    static String describe(long pid, Set<Integer> ownPorts) throws IOException {
        Map<String, Long> kinds = new TreeMap<>();
        Set<String> inodes;
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            List<String> targets = fds.map(OpenSockets::target).toList();
            targets.forEach(t -> kinds.merge(t.startsWith("socket:") ? "socket" : t.startsWith("pipe:") ? "pipe"
                    : t.startsWith("anon_inode:") ? "anon" : "file", 1L, Long::sum));
            inodes = targets.stream().filter(t -> t.startsWith("socket:["))
                    .map(t -> t.substring(8, t.length() - 1)).collect(Collectors.toSet());
        }
        Map<String, Long> tcp = new TreeMap<>();
        for (String table : new String[] {"tcp", "tcp6"}) {
            Path p = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p); // a header line, then one socket a line
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !inodes.contains(f[9])) {
                    continue;
                }
                int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                String state = STATES[Math.min(Integer.parseInt(f[3], 16), STATES.length - 1)];
                String key = "LISTEN".equals(state) ? "LISTEN " + local
                        : ownPorts.contains(local) ? state + " local " + local : state + " remote " + remote;
                tcp.merge(key, 1L, Long::sum);
            }
        }
        return kinds + "; tcp " + tcp;
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "gone";
        }
    }
}
