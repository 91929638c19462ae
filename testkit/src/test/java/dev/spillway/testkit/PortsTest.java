package dev.spillway.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {
    @Test
    void aFreePortIsBelowTheEphemeralRangeAndCanBeBound() throws Exception {
        int low = Ports.ephemeralLow();
        for (int i = 0; i < 20; i++) {
            int port = Ports.free();
            assertTrue(port >= Ports.LOWEST && port < low, port + " is outside " + Ports.LOWEST + ".." + (low - 1));
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void outgoingConnectionsTakeTheirPortsFromTheRangeFreeStaysOutOf() throws Exception {
        // What the choice rests on: the kernel gives a connecting socket a local port inside its ephemeral range.
        int low = Ports.ephemeralLow();
        List<Socket> clients = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 20; i++) {
                Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                clients.add(c);
                assertTrue(c.getLocalPort() >= low, "client port " + c.getLocalPort() + " below " + low);
            }
        } finally {
            for (Socket c : clients) {
                c.close();
            }
        }
    }
}
