package dev.spillway.filter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.testkit.Await;
import dev.spillway.testkit.RawHttp;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.JMX;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under a PROXY permit the relay is made ready before any request needs it: its HTTP client started and connections
 * open to the peers, off the request threads. Made on the first moved request instead, its start fell on a server
 * that was overloaded at that very moment. The peer here is a plain listening socket that counts connections.
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

    @Test
    void aProxyPermitOpensConnectionsToThePeerBeforeAnyRequestIsMoved(@TempDir Path tmp) throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
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
            Path webapp = FilterInContainerContract.copyWebappWith(tmp, "<init-param><param-name>deny</param-name>",
                    "<init-param><param-name>peers</param-name><param-value>b=http://127.0.0.1:"
                            + peer.getLocalPort() + "/app</param-value></init-param>"
                            + "<init-param><param-name>deny</param-name>");
            container = newContainer();
            container.start(webapp, FilterInContainerContract.CONTEXT, 8);
            assertNull(container.startupFailure());
            FilterMXBean f = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                    ObjectNames.filter(FilterInContainerContract.CONTEXT), FilterMXBean.class);
            f.applyPermit("PROXY", new String[] {"b"}, new double[] {1000}, 600_000);

            // One request with a free pool: served here, and the first request under the permit.
            assertEquals(200, RawHttp.get(container.port(), "/app/catalog/item").status());
            Await.until("the relay opened connections to the peer",
                    () -> accepted.size() >= 1);
            assertEquals(0, f.getSpilled(), "no request was moved: the connections were opened in advance");
            assertEquals(0, f.getOffloaded());
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
