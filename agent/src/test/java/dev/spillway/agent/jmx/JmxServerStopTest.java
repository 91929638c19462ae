package dev.spillway.agent.jmx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spillway.testkit.Await;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.rmi.RMIConnection;
import org.junit.jupiter.api.Test;

/**
 * Stopping the connector while a client connection makes its first notification call: the JDK's own close took the
 * server's monitor, then the connection's, while that call holds them the other way round, and both threads hung.
 */
class JmxServerStopTest {

    @Test
    void stoppingTheServerWhileAConnectionAsksForItsFirstNotificationsReturnsAndFreesThePort() throws Exception {
        SecureJmxServer server = SecureJmxServer.start(JmxServerSettings.loopback(0), MBeanServerFactory.newMBeanServer());
        RMIConnection connection = server.serverImpl().newClient(null);
        AtomicReference<Throwable> callFailed = new AtomicReference<>();
        Thread closer = new Thread(server::close, "closer");
        Thread caller = new Thread(() -> {
            // Where the JDK is during a connection's first notification call: holding the connection's monitor
            // (RMIConnectionImpl.getServerNotifFwd) before it asks the server for its notification buffer.
            synchronized (connection) {
                closer.start();
                Await.until("the closer waits for this connection", () -> closingThisConnection(closer));
                try {
                    connection.fetchNotifications(0, 1, 0);
                } catch (IOException | RuntimeException e) {
                    callFailed.set(e);
                }
            }
        }, "caller");
        caller.setDaemon(true);
        closer.setDaemon(true);
        caller.start();

        caller.join(Await.PATIENCE_MILLIS);
        closer.join(Await.PATIENCE_MILLIS);
        assertFalse(caller.isAlive(), "the connection's call never returned: " + Arrays.toString(caller.getStackTrace()));
        assertFalse(closer.isAlive(), "the server's close never returned: " + Arrays.toString(closer.getStackTrace()));
        assertNull(callFailed.get(), "the call made before the close reached it failed");
        assertThrows(IOException.class, () -> JMXConnectorFactory.connect(server.serviceUrl()).close(),
                "a stopped server still answers");
    }

    /** Blocked in a connection's close: the point at which the JDK's close already holds the server's monitor. */
    private static boolean closingThisConnection(Thread closer) {
        if (closer.getState() != Thread.State.BLOCKED) {
            return false;
        }
        for (StackTraceElement frame : closer.getStackTrace()) {
            if (frame.getClassName().endsWith("RMIConnectionImpl") && frame.getMethodName().equals("close")) {
                return true;
            }
        }
        return false;
    }
}
