package dev.spillway.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for child processes to bind (the demo's and the benchmarks' servers, managers, ZooKeeper), free a moment
 * ago. Picked below the kernel's ephemeral range where it can: a port from the range can be taken by any outgoing
 * connection (the load's clients, RMI, the agents) before the child binds it, while nothing but an explicit bind
 * takes a port outside it. A port is never handed out twice by one JVM: a child started a moment ago (a manager still
 * booting) has not bound its port yet, so a second pick would find it free and give it to another child.
 */
public final class FreePorts {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** A loopback port that was free a moment ago. */
    public static synchronized int pick() throws IOException {
        int below = ephemeralLow();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; below > 10_001 && i < 50; i++) {
            int port = random.nextInt(10_000, below);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                HANDED_OUT.add(port);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        for (int i = 0; ; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(s.getLocalPort()) || i == 50) {
                    return s.getLocalPort();
                }
            }
        }
    }

    /** The first port of Linux's ephemeral range; 32768, its default, where it cannot be read. */
    private static int ephemeralLow() {
        try { // readAllLines: readString of this procfs file has returned its first byte only
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                    .trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
