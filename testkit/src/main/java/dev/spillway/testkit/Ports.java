package dev.spillway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for tests that start real servers. */
public final class Ports {
    /** Lowest port handed out: above the well-known and most registered services' ports. */
    static final int LOWEST = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int ATTEMPTS = 50;

    private Ports() {
    }

    /**
     * A loopback port that was free a moment ago, for a server that must be told its port before it starts (a child
     * process that others must reach at a known address). Prefer binding port 0 where the server allows it.
     *
     * <p>The port is taken <em>below</em> the kernel's ephemeral range. A port from that range (what binding port 0
     * gives) can be taken, before the child binds it, by any outgoing connection on the machine — the tests' own
     * clients, RMI, ZooKeeper sessions — and on a busy CI machine it was ("JMX port already in use"). Outgoing
     * connections never use a port outside the range, so only another server's explicit choice could collide, and
     * the random pick makes that unlikely across test JVMs running at once.
     */
    public static int free() {
        int highest = ephemeralLow() - 1;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; highest > LOWEST && i < ATTEMPTS; i++) {
            int port = random.nextInt(LOWEST, highest + 1);
            if (bindable(port)) {
                return port;
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // no room below the range: the kernel's pick
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** The first port of the kernel's ephemeral range (Linux), or 32768 (its default) when it cannot be read. */
    static int ephemeralLow() {
        try {
            // readAllLines, not readString: readString of this procfs file returned its first byte only
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts connections on this loopback port now. */
    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
