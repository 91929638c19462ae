package dev.spillway.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.HostLoad;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The client round-trip sampler: the kernel's figures through a real {@code ss}, grouped, bounded, reported. */
class ClientRttTest {
    /** A host with no other figure: what the RTT source adds is all there is to see. */
    static final LoadSource EMPTY = new LoadSource() {
        @Override
        public HostLoad sample() {
            return HostLoad.builder("h").build();
        }

        @Override
        public QueueFigures queueFigures() {
            throw new UnsupportedOperationException("not used here");
        }
    };

    static boolean ssInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "ss"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void realConnectionsToTheWatchedPortAreMeasuredByTheKernel() throws Exception {
        Assumptions.assumeTrue(ssInstalled(), "ss (Debian iproute2) is not installed: the kernel's RTT was not read");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> clients = new ArrayList<>();
            List<Socket> accepted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()));
                Socket s = server.accept();
                accepted.add(s);
                s.getOutputStream().write(new byte[100]); // data both ways, so the kernel has RTT samples
                clients.get(i).getInputStream().readNBytes(100);
            }
            ClientRttSampler ss = new ClientRttSampler("ss", List.of(server.getLocalPort()));
            List<SocketRtt> seen = ss.sample();
            assertEquals(3, seen.size(), "three established connections on port " + server.getLocalPort() + ": " + seen);
            for (SocketRtt s : seen) {
                assertEquals(InetAddress.getLoopbackAddress(), s.peer());
                assertTrue(s.rttMillis() >= 0 && s.rttMillis() < 10_000, s.toString());
            }
            ClientRttSettings settings = ClientRttSettings.from(ConfigValues.of(Map.of(
                    "rtt.ports", String.valueOf(server.getLocalPort()))), "");
            HostLoad load = new ClientRttSource(EMPTY, ss::sample, settings, System::currentTimeMillis,
                    Runnable::run).sample();
            assertEquals(List.of("127.0.0.0/24"), List.of(load.getClientNetworks()));
            assertEquals(1, load.getClientRttMillis().length);
            for (Socket s : clients) {
                s.close();
            }
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void withoutSsTheFiguresAreUnknownNotZero() {
        ClientRttSampler missing = new ClientRttSampler("/nonexistent/ss", List.of(8080));
        assertEquals(List.of(), missing.sample());
        ClientRttSettings settings = new ClientRttSettings(List.of(8080), 1000, 8, 64, "/nonexistent/ss");
        HostLoad load = new ClientRttSource(EMPTY, missing::sample, settings, System::currentTimeMillis,
                Runnable::run).sample();
        assertEquals(0, load.getClientNetworks().length, "no networks rather than an RTT of 0");
    }

    @Test
    void ssOutputIsParsedPerConnectionAndMappedAddressesCountAsIpv4() {
        String out = "0      0      [::ffff:10.1.2.3]:8080 [::ffff:198.51.100.7]:51000\n"
                + "\t cubic wscale:7,7 rto:204 rtt:12.5/3.1 ato:40 mss:1448 minrtt:11.9\n"
                + "0      0      [2001:db8::1]:8080 [2001:db8:5:1::9]:40000\n"
                + "\t cubic rto:204 rtt:40/20 mss:1448\n"
                + "0      0      10.1.2.3:8080 192.0.2.9:1234\n"
                + "\t cubic rto:1000 mss:536\n"; // no rtt: yet -> skipped
        List<SocketRtt> s = SocketRtt.parse(out);
        assertEquals(2, s.size(), s.toString());
        assertEquals("198.51.100.0/24", ClientRttTable.key(s.get(0).peer()));
        assertEquals(12.5, s.get(0).rttMillis());
        assertEquals("2001:db8:5::/48", ClientRttTable.key(s.get(1).peer()));
        assertEquals(40.0, s.get(1).rttMillis());
    }

    @Test
    void memoryIsBoundedAndTheBusiestNetworksAreReported() throws Exception {
        ClientRttTable t = new ClientRttTable(100, 60_000);
        List<SocketRtt> sockets = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            InetAddress a = InetAddress.getByName("10." + (i / 256) + "." + (i % 256) + ".1");
            for (int c = 0; c <= i % 3; c++) {
                sockets.add(new SocketRtt(a, i));
            }
        }
        t.update(sockets, 1000);
        assertEquals(100, t.size(), "at most rtt.max-networks remembered");
        List<ClientRttTable.Network> top = t.top(5);
        assertEquals(5, top.size());
        for (ClientRttTable.Network n : top) {
            assertEquals(3, n.connections(), "networks with the most connections first: " + top);
        }
        t.update(List.of(), 1000 + 60_001);
        assertEquals(0, t.size(), "networks not seen within the expiry are forgotten");
    }

    @Test
    void aNetworksFigureIsSmoothedAcrossSamples() throws Exception {
        ClientRttTable t = new ClientRttTable(10, 60_000);
        InetAddress a = InetAddress.getByName("198.51.100.1");
        InetAddress b = InetAddress.getByName("198.51.100.2");
        t.update(List.of(new SocketRtt(a, 10), new SocketRtt(b, 30)), 0); // mean of the network's connections
        assertEquals(20.0, t.top(1).get(0).rttMillis(), 1e-9);
        t.update(List.of(new SocketRtt(a, 50)), 1);
        assertEquals(20 + (50 - 20) / 3.0, t.top(1).get(0).rttMillis(), 1e-9);
    }

    @Test
    void theSocketsAreReadOncePerInterval() {
        AtomicLong clock = new AtomicLong(0);
        AtomicLong reads = new AtomicLong();
        ClientRttSettings settings = new ClientRttSettings(List.of(80), 5000, 8, 64, "ss");
        ClientRttSource src = new ClientRttSource(EMPTY, () -> {
            reads.incrementAndGet();
            return List.of();
        }, settings, clock::get, Runnable::run);
        src.sample();
        clock.set(4999);
        src.sample();
        assertEquals(1, reads.get());
        clock.set(5000);
        src.sample();
        assertEquals(2, reads.get());
    }

    @Test
    void aSampleNeverWaitsForTheSocketsToBeRead() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ClientRttSettings settings = new ClientRttSettings(List.of(80), 5000, 8, 64, "ss");
        java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            ClientRttSource src = new ClientRttSource(EMPTY, () -> {
                try {
                    release.await(); // a slow ss
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of(new SocketRtt(InetAddress.getLoopbackAddress(), 3.0));
            }, settings, System::currentTimeMillis, reader);
            assertEquals(0, src.sample().getClientNetworks().length, "returned while the read is still running");
            release.countDown();
            dev.spillway.testkit.Await.until("the finished read is reported",
                    () -> src.sample().getClientNetworks().length == 1);
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void settingsDefaultToTheWebPortAndRefuseBadPorts() {
        assertEquals(List.of(8443), ClientRttSettings.from(ConfigValues.empty(), "https://a.example:8443/").ports());
        assertEquals(List.of(443), ClientRttSettings.from(ConfigValues.empty(), "https://a.example/").ports());
        assertEquals(List.of(), ClientRttSettings.from(ConfigValues.empty(), "").ports());
        assertEquals(List.of(), ClientRttSettings.from(ConfigValues.of(Map.of("rtt.ports", "off")),
                "http://a:80/").ports());
        ConfigException e = assertThrows(ConfigException.class, () -> ClientRttSettings.from(
                ConfigValues.of(Map.of("rtt.ports", "80,99999")), ""));
        assertTrue(e.getMessage().contains("rtt.ports") && e.getMessage().contains("99999"), e.getMessage());
    }
}
