package dev.spillway.manager.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding the name server's UDP and TCP sockets: same port for both, and a clear error naming the port. */
class DnsServerBindTest {
    private static DnsSettings listenOn(int port) {
        Map<String, String> m = DnsSettingsTest.on();
        m.put("dns.listen", "127.0.0.1:" + port);
        return DnsSettings.from(ConfigValues.of(m), List.of());
    }

    @Test
    void aTakenTcpPortIsNamedInTheError() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket taken = tcpPortWithFreeUdp(loopback)) {
            int port = taken.getLocalPort();
            IOException e = assertThrows(IOException.class, () -> DnsServer.start(listenOn(port), null));
            assertTrue(e.getMessage().startsWith("dns.listen=127.0.0.1:" + port + ": cannot bind TCP port " + port
                    + ":"), e.getMessage());
        }
    }

    /** A TCP port held here whose UDP side is free (so that only TCP is in the way). */
    private static ServerSocket tcpPortWithFreeUdp(InetAddress loopback) throws IOException {
        for (int i = 0; i < 20; i++) {
            ServerSocket tcp = new ServerSocket(0, 1, loopback);
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()))) {
                return tcp;
            } catch (IOException udpTaken) {
                tcp.close();
            }
        }
        throw new IOException("no TCP port with its UDP side free in 20 tries");
    }

    @Test
    void portZeroServesUdpAndTcpOnOnePort() throws IOException {
        DnsServer s = DnsServer.start(listenOn(0), null);
        try (Socket tcp = new Socket()) {
            assertTrue(s.port() > 0, "port " + s.port());
            tcp.connect(new InetSocketAddress("127.0.0.1", s.port()), 10_000);
            assertEquals(s.port(), tcp.getPort());
        } finally {
            s.close();
        }
    }
}
