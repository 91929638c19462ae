package dev.spillway.manager.it;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network namespaces, interfaces and addresses of one run of {@link ClientRttNamespacesTest}, all derived from
 * the test JVM's pid: two builds on one machine (or a run beside what a killed one left) never share a name or an
 * address. Names carry the whole pid: {@code swrtt<n>-<pid>} for client network n's namespace, {@code sw<pid>r<n>} and
 * {@code sw<pid>c<n>} for its link's two ends. Addresses, in 10.213.0.0/16: the pid picks a host number h (1..254)
 * and a group g of three /24s, the server is {@code 10.213.3g.h} and client n {@code 10.213.(3g+n).h} (each client
 * in its own /24: the manager keeps round-trip times per /24). A choice that an interface here already uses (a pid
 * that picks the same, or a leftover of a live process) is passed over for the next one.
 */
final class RunNet {
    private static final int HOSTS = 254;
    private static final int BLOCKS = 85 * HOSTS;
    private static final Pattern NAMESPACE = Pattern.compile("^swrtt\\d+-(\\d+)\\b");
    private static final Pattern INTERFACE = Pattern.compile("^\\d+: (sw(\\d+)[rc]\\d+)[:@]");

    private final long pid;
    private final int block;

    private RunNet(long pid, int block) {
        this.pid = pid;
        this.block = block;
    }

    /** This run's names, and the first address block from the pid's on that no interface here uses. */
    static RunNet forThisRun() throws IOException {
        long pid = ProcessHandle.current().pid();
        String inUse = ClientRttNamespacesTest.run("ip", "-o", "addr", "show");
        for (int i = 0; i < BLOCKS; i++) {
            RunNet candidate = new RunNet(pid, (int) ((pid + i) % BLOCKS));
            if (List.of(candidate.server(), candidate.client(1), candidate.client(2)).stream()
                    .noneMatch(a -> Pattern.compile("\\b" + Pattern.quote(a) + "[ /]").matcher(inUse).find())) {
                return candidate;
            }
        }
        throw new IllegalStateException("every address block in 10.213.0.0/16 is in use here: " + inUse);
    }

    /**
     * Removes the namespaces (and what still runs in them) and the link interfaces that an earlier run left when it
     * was killed: those whose pid is no longer a live process. A live run's are left alone. Best effort: another run
     * may be removing the same leftover, and one that stays cannot collide (its names carry a pid that is not ours,
     * and {@link #forThisRun} passes over addresses in use).
     */
    static void removeLeftovers() throws IOException {
        for (String line : ClientRttNamespacesTest.run("ip", "netns", "list").split("\n")) {
            Matcher m = NAMESPACE.matcher(line.trim());
            if (m.find() && !alive(m.group(1))) {
                String ns = line.trim().split("\\s+")[0];
                for (String p : quietly("ip", "netns", "pids", ns).trim().split("\\s+")) {
                    if (p.matches("\\d+")) {
                        ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                quietly("ip", "netns", "del", ns);
            }
        }
        for (String line : ClientRttNamespacesTest.run("ip", "-o", "link", "show").split("\n")) {
            Matcher m = INTERFACE.matcher(line.trim());
            if (m.find() && !alive(m.group(2))) {
                quietly("ip", "link", "del", m.group(1));
            }
        }
    }

    private static String quietly(String... cmd) {
        try {
            return ClientRttNamespacesTest.run(cmd);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean alive(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    String namespace(int n) {
        return "swrtt" + n + "-" + pid;
    }

    String rootInterface(int n) {
        return "sw" + pid + "r" + n;
    }

    String clientInterface(int n) {
        return "sw" + pid + "c" + n;
    }

    /** The servers' address, on this namespace's end of every link. */
    String server() {
        return address(0);
    }

    /** Client network n's (1 or 2) address, in its namespace. */
    String client(int n) {
        return address(n);
    }

    /** Offset 0: the server's /24; n: client n's. */
    private String address(int offset) {
        return "10.213." + (3 * (block / HOSTS) + offset) + "." + (1 + block % HOSTS);
    }
}
