package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.RawHttp;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under a PROXY permit the relay is made ready before any request needs it: its HTTP client started and connections
 * open to the peers and its code warmed on a loopback answerer of its own, off the request threads. Made on the first
 * moved request instead, its start fell on a server that was overloaded at that very moment, and its first
 * relays ran cold code on it. The peer here is a plain listening socket that counts connections.
 */
abstract class ProxyPreparationContract {
    private ServletContainer container;

    abstract ServletContainer newContainer();

    @AfterEach
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    // The filter's webapp with one peer, b, at the given port; started with a PROXY permit naming b, and one request
    // served under it (a free pool: served here), the first request to meet the permit.
    private FilterMXBean startedWithAProxyPermit(Path tmp, int peerPort) throws Exception {
        Path webapp = FilterInContainerContract.copyWebappWith(tmp, "<init-param><param-name>deny</param-name>",
                "<init-param><param-name>peers</param-name><param-value>b=http://127.0.0.1:" + peerPort
                        + "/app</param-value></init-param>" + "<init-param><param-name>deny</param-name>");
        container = newContainer();
        container.start(webapp, FilterInContainerContract.CONTEXT, 8);
        assertNull(container.startupFailure());
        FilterMXBean f = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                ObjectNames.filter(FilterInContainerContract.CONTEXT), FilterMXBean.class);
        f.applyPermit("PROXY", new String[] {"b"}, new double[] {1000}, 600_000);
        assertEquals(200, RawHttp.get(container.port(), "/app/catalog/item").status());
        return f;
    }

    private static Thread acceptInto(ServerSocket peer, List<Socket> accepted) {
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(peer.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "test-peer-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return acceptor;
    }

    @Test
    void aProxyPermitOpensConnectionsToThePeerBeforeAnyRequestIsMoved(@TempDir Path tmp) throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            acceptInto(peer, accepted);
            FilterMXBean f = startedWithAProxyPermit(tmp, peer.getLocalPort());
            FilterInContainerContract.awaitTrue("the relay opened connections to the peer",
                    () -> accepted.size() >= 1);
            assertEquals(0, f.getSpilled(), "no request was moved: the connections were opened in advance");
            assertEquals(0, f.getOffloaded());
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aProxyPermitWarmsTheRelaysClientWithoutSendingThePeerAnything(@TempDir Path tmp) throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        List<String> warmed = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger("dev.spillway.filter.forward.Forwarding");
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("warmed up")) {
                    warmed.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            acceptInto(peer, accepted);
            FilterMXBean f = startedWithAProxyPermit(tmp, peer.getLocalPort());
            FilterInContainerContract.awaitTrue("the relay's client was warmed up", () -> !warmed.isEmpty());
            assertEquals(0, f.getSpilled(), "no request was moved");
            // The warm-up ran on the loopback: the peer got its connections and not one byte on them.
            for (Socket s : accepted) {
                assertEquals(0, s.getInputStream().available(), "bytes sent to the peer: " + warmed);
            }
        } finally {
            log.removeHandler(h);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
